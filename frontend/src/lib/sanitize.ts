// The one way HTML from the server reaches the page. The server renders
// markdown without raw HTML and sanitizes it (bluemonday); DOMPurify here is
// the second lock on the same door, should a bug or an old server ever let
// something through.

import DOMPurify from 'dompurify';

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  // The only inputs are task list boxes: whatever else an input carried, it
  // becomes a disabled checkbox that keeps its state and its place in the
  // markdown. The page enables it for people who may tick it.
  if (node.tagName === 'INPUT') {
    for (const { name } of [...node.attributes])
      if (name !== 'checked' && name !== 'data-task-at') node.removeAttribute(name);
    node.setAttribute('type', 'checkbox');
    node.setAttribute('disabled', '');
  }
  // The server opens external links in a new tab; such a link must not get
  // a handle on this window.
  if (node.tagName === 'A' && node.hasAttribute('target')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

/** Sanitized HTML for {@html}. */
export function safeHtml(html: string): string {
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    ADD_ATTR: ['target'],
    FORBID_TAGS: ['style', 'form', 'button', 'textarea', 'select'],
  });
}
