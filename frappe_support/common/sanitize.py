"""What customers write, made safe before it is stored: an allow-list HTML sanitizer (nh3, the Python
binding of Rust's ammonia) for rich text, and tag-free plain text for one-line fields.

Pure Python (no Frappe): the unit tier checks it with property tests. Frappe's own `sanitize_html` skips
any value that parses as JSON (so `"<img src=x onerror=...>"`, quoted, passes untouched); these do not.
"""

from __future__ import annotations

import html
import re

import nh3

# what a support reply or description needs; no forms, scripts, styles, frames or embedded media
RICH_TAGS = frozenset(nh3.ALLOWED_TAGS) - {"area", "map"}
RICH_ATTRIBUTES = {
	"a": {"href", "title"},
	"img": {"src", "alt", "title", "width", "height"},
	"td": {"colspan", "rowspan"},
	"th": {"colspan", "rowspan"},
	"*": {"class"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# images only from the site's own files or pasted inline: a remote image would tell its host who read it
IMAGE_SOURCES = ("/files/", "/private/files/", "data:image/png;", "data:image/jpeg;", "data:image/gif;")
HAS_TAG = re.compile(r"<\s*[a-zA-Z!/?]")


def _attribute(tag: str, attribute: str, value: str) -> str | None:
	if tag == "img" and attribute == "src":
		return value if value.startswith(IMAGE_SOURCES) else None
	return value


def rich_text(value: str | None) -> str | None:
	"""HTML a customer wrote (or plain text, which becomes HTML with its line breaks kept), reduced to
	an allow-list of harmless tags and attributes."""
	if value is None:
		return None
	cleaned = nh3.clean(
		str(value),
		tags=set(RICH_TAGS),
		attributes={tag: set(attrs) for tag, attrs in RICH_ATTRIBUTES.items()},
		attribute_filter=_attribute,
		url_schemes=set(URL_SCHEMES),
		link_rel="noopener noreferrer nofollow",
		strip_comments=True,
	)
	if "<" not in cleaned:  # no markup was left (stray < are escaped): plain text, keep its line breaks
		cleaned = cleaned.replace("\r\n", "\n").replace("\n", "<br>")
	return cleaned


def plain_text(value: str | None, max_length: int | None = None) -> str | None:
	"""One line of text with every tag removed, also tags that only appear once entities are decoded
	(`&lt;img ...&gt;`); what is left is text, to be escaped wherever it is shown."""
	if value is None:
		return None
	text = " ".join(str(value).split())
	for _ in range(5):
		cleaned = html.unescape(nh3.clean(text, tags=set(), strip_comments=True))
		cleaned = " ".join(cleaned.split())
		if cleaned == text:
			break
		text = cleaned
	else:
		text = HAS_TAG.sub("", text)
	return text[:max_length] if max_length else text
