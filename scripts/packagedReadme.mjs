// The README that goes into the .vsix when package.json has no repository. The README's screenshots
// are linked by relative path (media/screenshots/*.png, kept out of the .vsix by .vscodeignore): the
// Marketplace and VS Code's extension page show only https images, and vsce turns relative links
// into the repository's URLs only when package.json names one; without it vsce refuses them. So the
// packaged README leaves out what stands between the two markers below; everything else is unchanged.

export const SCREENSHOTS_START = '<!-- screenshots -->';
export const SCREENSHOTS_END = '<!-- /screenshots -->';

/** The README without the screenshots block (markers included); throws when the markers are broken. */
export function withoutScreenshots(readme) {
  const start = readme.indexOf(SCREENSHOTS_START);
  const end = readme.indexOf(SCREENSHOTS_END);
  if (start < 0 && end < 0) return readme;
  if (start < 0 || end < start || readme.indexOf(SCREENSHOTS_START, start + 1) >= 0 || readme.indexOf(SCREENSHOTS_END, end + 1) >= 0) {
    throw new Error(`README.md: expected one "${SCREENSHOTS_START}" followed by one "${SCREENSHOTS_END}"`);
  }
  return readme.slice(0, start) + readme.slice(end + SCREENSHOTS_END.length).replace(/^\n+/, '');
}

/** Relative image links (Markdown or <img>) in a Markdown text: what vsce refuses without a repository. */
export function relativeImages(markdown) {
  const links = [...markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)/g), ...markdown.matchAll(/<img[^>]+src=["']([^"']+)["']/g)].map((m) => m[1]);
  return links.filter((link) => !/^[a-z][\w+.-]*:/i.test(link) && !link.startsWith('#'));
}
