import { describe, expect, it } from 'vitest';
import { psBool, psComment, psLimit, psList, psSize, psString, psTimeSpan } from '../../../src/core/export/powershell-values.js';
import { readLine } from '../../helpers/powershell-lines.js';

describe('PowerShell values of the export (R187)', () => {
  it('quotes strings in single quotes, doubling every quote character PowerShell ends them at', () => {
    expect(psString('To Fabrikam')).toBe("'To Fabrikam'");
    expect(psString("O'Brien relay")).toBe("'O''Brien relay'");
    // ‘ ’ ‚ ‛ close a single-quoted string in PowerShell as ' does.
    expect(psString('Paul’s relay')).toBe("'Paul’’s relay'");
    expect(psString('‘quoted’')).toBe("'‘‘quoted’’'");
    expect(psString('a‚b‛c')).toBe("'a‚‚b‛‛c'");
    // $, backticks and double quotes are literal inside single quotes.
    expect(psString('$env:X `n "y"')).toBe("'$env:X `n \"y\"'");
    expect(psString('NT AUTHORITY\\ANONYMOUS LOGON')).toBe("'NT AUTHORITY\\ANONYMOUS LOGON'");
  });

  it('keeps non-ASCII text as it is (the script is UTF-8)', () => {
    expect(psString('Zürich–Genève 東京')).toBe("'Zürich–Genève 東京'");
    expect(psString('😀')).toBe("'😀'");
  });

  it('joins a control character in as [char], so that a command stays on one line', () => {
    expect(psString('220 a\nb')).toBe("('220 a' + [char]0x0A + 'b')");
    expect(psString('\t')).toBe('([char]0x09)');
    expect(psString('x\u0085')).toBe("('x' + [char]0x85)");
  });

  it('joins in format characters and separators by code too (bidi, zero-width, U+2028), whole code points', () => {
    expect(psString('a\u202eb')).toBe("('a' + [char]0x202E + 'b')");
    expect(psString('👩\u200d💻')).toBe("('👩' + [char]0x200D + '💻')");
    expect(psString('x\u{E0001}')).toBe("('x' + [char]::ConvertFromUtf32(0xE0001))");
    expect(psString('\u2028')).toBe('([char]0x2028)');
    expect(psComment('a\u202eb\u2029')).toBe('a?b?');
  });

  it('writes every quoted value so that a reader finds its end where PowerShell does', () => {
    for (const text of ["a'b", "''", '’', "'‘’‚‛'", 'a\nb', 'x y  z']) {
      const [command] = readLine(`Set-Thing -Name ${psString(text)} -Other 1`);
      expect(command!.parameters).toEqual(['Name', 'Other']);
    }
  });

  it('writes lists comma-joined and booleans as $true/$false', () => {
    expect(psList(['0.0.0.0:25', '[::]:25'])).toBe("'0.0.0.0:25','[::]:25'");
    expect(psList(['SMTP:*;1'])).toBe("'SMTP:*;1'");
    expect(psBool(true)).toBe('$true');
    expect(psBool(false)).toBe('$false');
  });

  it('writes sizes with PowerShell multipliers, else in bytes, and unlimited as Unlimited', () => {
    expect(psSize(35 * 1024 ** 2)).toBe('35MB');
    expect(psSize(256 * 1024)).toBe('256KB');
    expect(psSize(2 * 1024 ** 3)).toBe('2GB');
    expect(psSize(1024 ** 4)).toBe('1TB');
    expect(psSize(1_500_000)).toBe('1500000');
    expect(psSize(Infinity)).toBe("'Unlimited'");
  });

  it('writes durations as TimeSpans d.hh:mm:ss, with milliseconds only when there are some', () => {
    expect(psTimeSpan(5 * 60_000)).toBe("'00:05:00'");
    expect(psTimeSpan(2 * 86_400_000)).toBe("'2.00:00:00'");
    expect(psTimeSpan(90 * 86_400_000 + 3_723_000)).toBe("'90.01:02:03'");
    expect(psTimeSpan(500)).toBe("'00:00:00.500'");
  });

  it('writes limits as counts or Unlimited, and comments on one line', () => {
    expect(psLimit(20)).toBe('20');
    expect(psLimit('unlimited')).toBe("'Unlimited'");
    expect(psComment('a\nb')).toBe('a?b');
  });
});
