// The one Markdown escaper for text that came from outside: servers (paths, ids, names, error
// text), settings (connection names) and sockets (error messages). Everything rendered as Markdown
// (Node Details, holders, tree and status bar tooltips) goes through it, so that no such string can
// end a table row, start a block, become a link, an image, HTML, or a theme icon.

/** Line breaks and other control characters: in Markdown a newline can leave a table or start a block. */
const CONTROL = /[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g;

/** Text as itself in Markdown: control characters become one space, every meaningful character is escaped. */
export function md(s: string): string {
  return (
    s
      .replace(CONTROL, ' ')
      .replace(/[\\`*_{}[\]()#+\-.!|<>&~$]/g, (c) => '\\' + c)
      // "scheme://" would be a bare-URL link in GFM (host:port stays readable)
      .replace(/:(?=\/\/)/g, '\\:')
  );
}

/**
 * A code span (with its backticks) that no value can leave: backticks cannot be escaped inside one,
 * so they are replaced by a look-alike; line breaks become spaces; pipes are escaped for tables.
 */
export function mdCode(s: string): string {
  if (s === '') return '` `';
  return '`' + s.replace(CONTROL, ' ').replace(/`/g, 'ˋ').replace(/\|/g, '\\|') + '`';
}
