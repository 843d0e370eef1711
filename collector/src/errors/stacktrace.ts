/**
 * `exception.stacktrace` text (as OTel SDKs record it) → exceptions with structured frames. The format is
 * recognised from the text itself; the SDK language only breaks ties, because a Node service can log a
 * Python traceback it received from a subprocess and the text is the better witness.
 */
import type { ParsedException } from './frame.ts';
import { parseDotnet } from './stack-dotnet.ts';
import { geckoParts, parseGecko, parseV8 } from './stack-js.ts';
import { parseGo } from './stack-go.ts';
import { JAVA_FRAME, parseJava } from './stack-java.ts';
import { parsePython } from './stack-python.ts';

export type { ParsedException } from './frame.ts';

export interface StackTraceHint {
  /** OTel `telemetry.sdk.language`: nodejs, webjs, python, java, go, … */
  language?: string;
}

type Format = 'python' | 'go' | 'dotnet' | 'java' | 'v8' | 'gecko';

/** Stack traces beyond this are cut: no real trace needs more, and parsing must stay cheap per event. */
const MAX_LINES = 5000;

const PARSERS: Record<Format, (lines: string[]) => ParsedException[]> = {
  python: parsePython,
  go: parseGo,
  dotnet: parseDotnet,
  java: parseJava,
  v8: parseV8,
  gecko: parseGecko,
};

const HINTED: Record<string, Format[]> = {
  python: ['python'],
  go: ['go'],
  dotnet: ['dotnet'],
  java: ['java'],
  kotlin: ['java'],
  scala: ['java'],
  nodejs: ['v8'],
  webjs: ['v8', 'gecko'],
};

/**
 * .NET frames: `) in File.cs:line 42`, or typed parameters (`Place(Int32 orderId)`), which Java never prints
 * (its parentheses hold a file, `Native Method` or `Unknown Source`); plus .NET's block separators.
 * Written without regular-expression backtracking, since it runs on every line of untrusted text.
 */
function looksDotnet(line: string): boolean {
  const text = line.trim();
  if (!text.startsWith('at ')) return /^--- End of (?:inner exception|stack trace from previous location)/.test(text);
  if (text.includes(') in ') && /:line \d+$/.test(text)) return true;
  const open = text.indexOf('(');
  if (open <= 3 || !text.endsWith(')') || /\s/.test(text.slice(3, open))) return false;
  const args = text.slice(open + 1, -1);
  return /\w /.test(args) && !args.includes('(') && args !== 'Native Method' && !args.startsWith('Unknown Source');
}

/** How many lines look like each format's frames; the best-scoring format is used. */
function scoreFormats(lines: string[]): Record<Format, number> {
  const score: Record<Format, number> = { python: 0, go: 0, dotnet: 0, java: 0, v8: 0, gecko: 0 };
  for (const line of lines) {
    if (/^\s*Traceback \(most recent call last\):/.test(line) || /^\s*File ".*", line \d+/.test(line)) score.python++;
    else if (/^goroutine \d+ \[/.test(line) || /^\s+\S+\.go:\d+(?: \+0x[0-9a-fA-F]+)?\s*$/.test(line)) score.go++;
    else if (looksDotnet(line)) score.dotnet++;
    // Java prints no space before the parenthesis and never a column; V8 does the opposite.
    else if (JAVA_FRAME.test(line) && !/:\d+:\d+\)/.test(line)) score.java++;
    else if (/^\s*at\s+\S/.test(line)) score.v8++;
    else if (geckoParts(line)) score.gecko++;
  }
  return score;
}

function detectFormat(lines: string[], language: string | undefined): Format | null {
  const score = scoreFormats(lines);
  const hinted = HINTED[(language ?? '').toLowerCase()] ?? [];
  const preferred = hinted.filter((format) => score[format] > 0).sort((a, b) => score[b] - score[a])[0];
  if (preferred) return preferred;
  let best: Format | null = null;
  for (const format of ['python', 'go', 'dotnet', 'java', 'v8', 'gecko'] as const) {
    if (score[format] > (best ? score[best] : 0)) best = format;
  }
  return best;
}

/** Unrecognised text still yields an exception, so the event keeps its message and can be grouped by it. */
function unknownFormat(lines: string[]): ParsedException[] {
  const first = lines.find((line) => line.trim() !== '') ?? '';
  return [{ type: '', value: first.trim(), frames: [] }];
}

/**
 * Parses stack-trace text into exceptions ordered as Sentry orders a chain: the innermost cause first,
 * the exception that was caught last. Frames are oldest call first. Returns [] for blank text and never
 * throws: unknown formats give one exception whose value is the first line.
 */
export function parseStackTrace(text: string, hint?: StackTraceHint): ParsedException[] {
  if (typeof text !== 'string' || text.trim() === '') return [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n', MAX_LINES);
  try {
    const format = detectFormat(lines, hint?.language);
    if (format) {
      const parsed = PARSERS[format](lines).filter((e) => e.type !== '' || e.value !== '' || e.frames.length > 0);
      if (parsed.some((e) => e.frames.length > 0)) return parsed;
    }
  } catch {
    // A parser bug must not cost the event; fall through to the plain-text reading.
  }
  return unknownFormat(lines);
}
