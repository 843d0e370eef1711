import { randomUUID } from 'node:crypto';
import {
  activityCandidates,
  claimFiring,
  claimFirings,
  firedKeys,
  isServiceAlert,
  listAlertRules,
  listIssues,
  listProjects,
  recentlyFiredIssues,
  recordDeliveries,
  recordDelivery,
  spikingIssues,
  type AlertCandidate,
  type AlertRule,
  type Database,
  type DeliveryOutcome,
  type FiringClaim,
  type IssueSummary,
  type Project,
} from '@faultline/storage';
import { alertPayload, summaryPayload } from './payload.ts';
import { evaluateServiceRule, type ServiceRuleContext } from './service-rules.ts';
import { DEFAULT_DELIVERY, deliverWebhook, maskWebhookUrl, type DeliveryOptions } from './webhook.ts';

/** On a process's first evaluation of a rule, how far back new and regressed issues are looked for (restarts). */
const LOOKBACK_MS = 60 * 60_000;
/**
 * Each evaluation looks back this much before the previous one: a new issue's fact carries its first event's
 * time, which arrives late (SDK buffering, the collector's batching). Dedupe keys make the overlap harmless.
 */
const SLACK_MS = 5 * 60_000;

export interface AlertEvaluatorOptions {
  intervalMs: number;
  /** Base of the issue links in notifications (FAULTLINE_PUBLIC_URL). */
  publicUrl: string;
  /** Notifications one rule sends one by one per evaluation; the rest go in one summary (FAULTLINE_ALERT_MAX_PER_RULE). */
  maxPerRule: number;
  delivery?: Omit<DeliveryOptions, 'signal'>;
}

export interface AlertLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

interface Candidate extends AlertCandidate {
  events?: number;
}

/**
 * Evaluates every alert rule on a timer and notifies webhooks. One evaluation runs at a time (the next is
 * scheduled when the last one ends, so a slow receiver delays alerts instead of piling them up), and a failure
 * is logged and retried on the next tick, never thrown.
 */
export class AlertEvaluator {
  private readonly db: Database;
  private readonly options: AlertEvaluatorOptions;
  private readonly log: AlertLogger;
  /** Tells this process's claims apart from other query processes'. */
  private readonly claimant = randomUUID();
  /** Rule id → start of its last evaluation (ms). */
  private readonly cursors = new Map<string, number>();
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(db: Database, options: AlertEvaluatorOptions, log: AlertLogger) {
    this.db = db;
    this.options = options;
    this.log = log;
  }

  start(): void {
    this.schedule();
  }

  /** Stops the timer, aborts deliveries in flight and waits for the running evaluation to end. */
  async stop(): Promise<void> {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(): void {
    if (this.abort.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.evaluate()
        .catch((err: unknown) => this.log.error({ err }, 'alert evaluation failed'))
        .finally(() => {
          this.running = null;
          this.schedule();
        });
    }, this.options.intervalMs);
  }

  /** One pass over every rule. */
  async evaluate(nowMs = Date.now()): Promise<void> {
    const [rules, projects] = await Promise.all([listAlertRules(this.db), listProjects(this.db)]);
    const byId = new Map(projects.map((p) => [p.id, p]));
    for (const rule of rules) {
      if (this.abort.signal.aborted) return;
      const project = byId.get(rule.projectId);
      if (!project) continue;
      try {
        await this.evaluateRule(rule, project, nowMs);
      } catch (err) {
        this.log.error({ err, ruleId: rule.id, projectId: rule.projectId }, 'alert rule evaluation failed');
      }
    }
    const live = new Set(rules.map((r) => r.id));
    for (const id of this.cursors.keys()) if (!live.has(id)) this.cursors.delete(id);
  }

  private async evaluateRule(rule: AlertRule, project: Project, nowMs: number): Promise<void> {
    const kind = rule.kind;
    if (isServiceAlert(kind)) {
      await evaluateServiceRule(this.serviceContext(), { ...rule, kind }, project, nowMs);
      return;
    }
    const candidates = await this.candidates(rule, nowMs);
    const fired = await firedKeys(this.db, rule.projectId, rule.id, candidates.map((c) => c.dedupeKey));
    const fresh = candidates.filter((c) => !fired.has(c.dedupeKey));
    if (fresh.length > 0) {
      const issues = await listIssues(this.db, {
        projectId: rule.projectId,
        issueIds: [...new Set(fresh.map((c) => c.issueId))],
        environment: rule.environment || undefined,
        level: rule.level || undefined,
        sort: 'firstSeen',
        limit: fresh.length,
      });
      const byId = new Map(issues.map((i) => [i.id, i]));
      const due: Array<{ issue: IssueSummary; candidate: Candidate }> = [];
      for (const candidate of fresh) {
        const issue = byId.get(candidate.issueId);
        // A spike of an issue someone chose to ignore is what ignoring is for.
        if (issue && !(rule.kind === 'issue_spike' && issue.status === 'ignored')) due.push({ issue, candidate });
      }
      for (const { issue, candidate } of due.slice(0, this.options.maxPerRule)) {
        if (this.abort.signal.aborted) return;
        await this.fire(rule, project, issue, candidate);
      }
      if (due.length > this.options.maxPerRule && !this.abort.signal.aborted) await this.fireSummary(rule, project, due.slice(this.options.maxPerRule));
    }
    this.cursors.set(rule.id, nowMs);
  }

  /**
   * A burst (a deploy that breaks a hundred things) would flood the receiver, and chat webhooks throttle: the
   * occurrences past the cap are claimed like any other (so they never notify again) and sent as one summary.
   */
  private async fireSummary(rule: AlertRule, project: Project, rest: ReadonlyArray<{ issue: IssueSummary; candidate: Candidate }>): Promise<void> {
    const claimedAtMs = Date.now();
    const entries = rest.map(({ issue, candidate }) => ({ item: issue, claim: this.claim(rule, issue.id, candidate.dedupeKey, claimedAtMs) }));
    await this.sendSummary(rule, entries, (issues) => summaryPayload(this.options.publicUrl, rule, project, issues), (n) => ({ issues: n }));
  }

  private async candidates(rule: AlertRule, nowMs: number): Promise<Candidate[]> {
    if (rule.kind === 'issue_spike') {
      const windowMs = rule.windowMinutes * 60_000;
      const spikes = await spikingIssues(this.db, { ...rule, nowMs });
      if (spikes.size === 0) return [];
      // One notification per issue per window: a spike that lasts keeps the issue above the threshold.
      const recent = await recentlyFiredIssues(this.db, rule.projectId, rule.id, nowMs - windowMs);
      const bucket = Math.floor(nowMs / windowMs);
      return [...spikes]
        .filter(([issueId]) => !recent.has(issueId))
        .map(([issueId, events]) => ({ issueId, events, dedupeKey: `spike:${issueId}:${bucket}` }));
    }
    const since = Math.max(rule.createdAtMs, (this.cursors.get(rule.id) ?? nowMs - LOOKBACK_MS) - SLACK_MS);
    return activityCandidates(this.db, rule.projectId, rule.kind === 'new_issue' ? 'first_seen' : 'regression', since);
  }

  private async fire(rule: AlertRule, project: Project, issue: IssueSummary, candidate: Candidate): Promise<void> {
    const claim = this.claim(rule, issue.id, candidate.dedupeKey, Date.now());
    await this.sendOnce(rule, claim, () => alertPayload(this.options.publicUrl, rule, project, issue, candidate.events), { issueId: issue.id }, 'alert');
  }

  /** Claims one occurrence and, when this process won it, sends it and records the outcome. */
  private async sendOnce(rule: AlertRule, claim: FiringClaim, payload: () => unknown, fields: object, what: string): Promise<void> {
    if (!(await claimFiring(this.db, claim))) return;
    await recordDelivery(this.db, claim, await this.deliver(rule, payload(), fields, what));
  }

  /** Claims occurrences in one batch and sends the ones this process won as one summary (recorded `summarized`). */
  private async sendSummary<T>(
    rule: AlertRule,
    entries: ReadonlyArray<{ item: T; claim: FiringClaim }>,
    payload: (items: T[]) => unknown,
    fields: (count: number) => object,
  ): Promise<void> {
    const won = await claimFirings(this.db, entries.map((e) => e.claim));
    // Another process may have won some of them (it sends its own summary of those).
    const mine = entries.filter((e) => won.has(e.claim.dedupeKey));
    if (mine.length === 0) return;
    const outcome = await this.deliver(rule, payload(mine.map((e) => e.item)), fields(mine.length), 'alert summary');
    await recordDeliveries(this.db, mine.map((e) => e.claim), outcome.status === 'delivered' ? { ...outcome, status: 'summarized' } : outcome);
  }

  private serviceContext(): ServiceRuleContext {
    return {
      db: this.db,
      publicUrl: this.options.publicUrl,
      maxPerRule: this.options.maxPerRule,
      aborted: () => this.abort.signal.aborted,
      claim: (rule, dedupeKey) => this.claim(rule, '', dedupeKey, Date.now()),
      sendOnce: (rule, claim, payload, fields, what) => this.sendOnce(rule, claim, payload, fields, what),
      sendSummary: (rule, entries, payload, fields) => this.sendSummary(rule, entries, payload, fields),
    };
  }

  private claim(rule: AlertRule, issueId: string, dedupeKey: string, claimedAtMs: number): FiringClaim {
    return { projectId: rule.projectId, ruleId: rule.id, dedupeKey, claimant: this.claimant, issueId, claimedAtMs };
  }

  /** Sends one notification and logs its outcome (`what` delivered / delivery failed). */
  private async deliver(rule: AlertRule, payload: unknown, fields: object, what: string): Promise<DeliveryOutcome> {
    const outcome = await deliverWebhook(rule.webhookUrl, payload, { ...DEFAULT_DELIVERY, ...this.options.delivery, signal: this.abort.signal });
    // The webhook's origin only: its path may hold a secret.
    const logged = { ruleId: rule.id, projectId: rule.projectId, ...fields, kind: rule.kind, webhook: maskWebhookUrl(rule.webhookUrl), ...outcome };
    if (outcome.status === 'delivered') this.log.info(logged, `${what} delivered`);
    else this.log.error(logged, `${what} delivery failed`);
    return outcome;
  }
}
