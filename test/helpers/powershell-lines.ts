/**
 * A small reader of the exported script's lines, enough to check them without PowerShell: each
 * command line (or `# [WHERE] command` line) is split into its pipeline's commands, each with its
 * cmdlet, its `-Parameter` names and the commands nested in parentheses (a parenthesized
 * expression that is no command, `('a' + [char]0x0A)`, is read past). Single-quoted strings
 * follow PowerShell's rules: any of ' ‘ ’ ‚ ‛ opens or closes one, and two in a row stand for one.
 */
import { KNOWN_CMDLETS } from '../../src/core/export/powershell-cmdlets.js';

export interface PsCommand {
  cmdlet: string;
  parameters: string[];
  nested: PsCommand[];
}

const QUOTE = /['\u2018\u2019\u201a\u201b]/;

/** Throws on an unbalanced quote or parenthesis. */
export function readLine(line: string): PsCommand[] {
  const { commands, end } = readCommands(line, 0, false);
  if (end !== line.length) throw new Error(`unbalanced ")" at ${end}: ${line}`);
  return commands;
}

function readCommands(line: string, start: number, inParens: boolean): { commands: PsCommand[]; end: number } {
  const commands: PsCommand[] = [];
  let current: PsCommand | undefined;
  let i = start;
  const word = () => {
    let j = i;
    while (j < line.length && !/[\s|()']/.test(line[j]!) && !QUOTE.test(line[j]!)) j++;
    const text = line.slice(i, j);
    i = j;
    return text;
  };
  while (i < line.length) {
    const ch = line[i]!;
    if (/\s/.test(ch)) i++;
    else if (QUOTE.test(ch)) {
      i++;
      for (;;) {
        if (i >= line.length) throw new Error(`unbalanced quote: ${line}`);
        if (QUOTE.test(line[i]!)) {
          if (i + 1 < line.length && QUOTE.test(line[i + 1]!)) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (ch === '"') throw new Error(`the export writes no double-quoted string: ${line}`);
    else if (ch === '|') {
      current = undefined;
      i++;
    } else if (ch === '(') {
      const inner = readCommands(line, i + 1, true);
      if (line[inner.end] !== ')') throw new Error(`unbalanced "(": ${line}`);
      current?.nested.push(...inner.commands);
      if (!current) commands.push(...inner.commands);
      i = inner.end + 1;
    } else if (ch === ')') return { commands, end: i };
    else if (ch === '#') throw new Error(`a comment inside a command: ${line}`);
    else {
      const text = word();
      // Inside parentheses only a Verb-Noun starts a command; the rest is an expression ('a' + [char]0x0A).
      if (!current && inParens && !/^[A-Za-z]+-[A-Za-z]+$/.test(text)) continue;
      if (!current) {
        current = { cmdlet: text, parameters: [], nested: [] };
        commands.push(current);
      } else if (/^-[A-Za-z]/.test(text)) current.parameters.push(text.slice(1));
    }
  }
  return { commands, end: i };
}

/** The command text of a script line: itself, the part after `# [WHERE] `, or undefined for a comment or blank. */
export function commandText(line: string): string | undefined {
  if (line.trim() === '') return undefined;
  const tagged = /^# \[[^\]]+\] (.*)$/.exec(line);
  if (tagged) return tagged[1]!.startsWith('not exported:') ? undefined : tagged[1];
  return line.startsWith('#') ? undefined : line;
}

/** Every command of a script, nested ones included. */
export function scriptCommands(script: string): PsCommand[] {
  const all: PsCommand[] = [];
  const visit = (c: PsCommand) => {
    all.push(c);
    c.nested.forEach(visit);
  };
  for (const line of script.split('\n')) {
    const text = commandText(line);
    if (text !== undefined) readLine(text).forEach(visit);
  }
  return all;
}

/** Cmdlets and parameters not in the known list (compared as PowerShell binds them: case-insensitively). */
export function unknownNames(text: string): string[] {
  const known = new Map(Object.entries(KNOWN_CMDLETS).map(([cmdlet, params]) => [cmdlet.toLowerCase(), new Set(params.map((p) => p.toLowerCase()))]));
  const bad: string[] = [];
  for (const command of scriptCommands(text)) {
    if (command.cmdlet === '$ErrorActionPreference') continue;
    const params = known.get(command.cmdlet.toLowerCase());
    if (!params) bad.push(command.cmdlet);
    else for (const p of command.parameters) if (!params.has(p.toLowerCase())) bad.push(`${command.cmdlet} -${p}`);
  }
  return bad;
}
