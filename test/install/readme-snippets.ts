/**
 * The README's Install section marks each snippet the install test runs with an HTML comment
 * (`<!-- install:esm -->`, invisible on GitHub and npm) right before its fenced block, so the test
 * runs the text users copy, not a copy of it.
 */
export function readmeSnippet(readme: string, name: string): string {
  const marker = `<!-- install:${name} -->`;
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no ${marker}`);
  const block = /^\s*```[^\n]*\n([\s\S]*?)\n```/.exec(readme.slice(at + marker.length));
  if (!block) throw new Error(`README.md has no fenced code block right after ${marker}`);
  return `${block[1]}\n`;
}

/** The commands of a shell snippet, one a line, each split into words (no quoting in these snippets). */
export function shellCommands(snippet: string): string[][] {
  return snippet
    .split("\n")
    .map((line) => line.replace(/#.*$/, "").trim())
    .filter(Boolean)
    .map((line) => line.split(/\s+/));
}
