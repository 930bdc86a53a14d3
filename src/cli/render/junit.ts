/** JUnit XML (the dialect CI servers read): one document shape for `validate` and `route test`. */

/** Escape for XML text and attributes; characters XML 1.0 forbids become U+FFFD. */
export function xml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** `cases` are rendered `<testcase>` elements, indented by four spaces. */
export function junitDocument(run: string, suite: string, cases: readonly string[], failures: number): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(run)}" tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}" errors="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
  ].join('\n');
}
