/** `faultline alerts list|create|delete`: alert rules through the API (docs/alerts.md). */

export const ALERTS_USAGE = `  faultline alerts list --project <id|slug>
  faultline alerts create --project <id|slug> --name <name> --kind new_issue|regression|issue_spike --webhook <url>
      [--threshold <events> --window <minutes>] (issue_spike only) [--environment <env>] [--level <level>]
  faultline alerts delete <alertId> --project <id|slug>`;

export const ALERT_OPTIONS = ['project', 'name', 'kind', 'webhook', 'threshold', 'window', 'environment', 'level', 'url', 'token'] as const;

export interface AlertArgs {
  name?: string | undefined;
  kind?: string | undefined;
  webhook?: string | undefined;
  threshold?: string | undefined;
  window?: string | undefined;
  environment?: string | undefined;
  level?: string | undefined;
}

/**
 * The body of `POST …/alerts` from the options, or the one-line mistake. Numbers are checked here so a typo reads
 * as a CLI error; everything else is the API's to judge (its 400 names the field).
 */
export function alertRuleBody(args: AlertArgs): { body: Record<string, unknown> } | { error: string } {
  if (!args.name || !args.kind || !args.webhook) return { error: '--name, --kind and --webhook are required' };
  const body: Record<string, unknown> = { name: args.name, kind: args.kind, webhookUrl: args.webhook };
  for (const [option, field] of [['threshold', 'threshold'], ['window', 'windowMinutes']] as const) {
    const value = args[option];
    if (value === undefined) continue;
    if (!/^\d+$/.test(value)) return { error: `--${option} must be a whole number, got "${value}"` };
    body[field] = Number(value);
  }
  if (args.environment) body.environment = args.environment;
  if (args.level) body.level = args.level;
  return { body };
}
