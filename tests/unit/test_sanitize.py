"""The sanitizer of what customers write: against an HTML parser as the oracle, and by properties."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from frappe_support.common.sanitize import RICH_ATTRIBUTES, RICH_TAGS, plain_text, rich_text

ATTACKS = [
	'<img src=x onerror="alert(1)">',
	'"<img src=x onerror=alert(document.cookie)>"',
	"<script>alert(1)</script>",
	"<scr<script>ipt>alert(1)</script>",
	'<a href="javascript:alert(1)">x</a>',
	'<a href="  JaVaScRiPt:alert(1)">x</a>',
	'<svg onload="alert(1)"></svg>',
	'<iframe src="https://evil.example"></iframe>',
	'<p style="background:url(javascript:alert(1))">x</p>',
	"&lt;img src=x onerror=alert(1)&gt;",
	"<!--<img src=x onerror=alert(1)>-->",
	'<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
	'<img src="https://tracker.example/pixel.png">',
	'<form action="https://evil.example"><input name="password"></form>',
]


class Tags(HTMLParser):
	"""Every start tag and its attributes, as a browser's tokenizer reads them."""

	def __init__(self, text: str):
		super().__init__(convert_charrefs=True)
		self.seen: list[tuple[str, dict]] = []
		self.feed(text)
		self.close()

	def handle_starttag(self, tag, attrs):
		self.seen.append((tag, dict(attrs)))

	handle_startendtag = handle_starttag


def assert_harmless(html: str) -> None:
	for tag, attrs in Tags(html).seen:
		assert tag in RICH_TAGS, (tag, html)
		allowed = RICH_ATTRIBUTES.get(tag, set()) | RICH_ATTRIBUTES["*"] | {"rel"}
		for name, value in attrs.items():
			assert name in allowed, (tag, name, html)
			assert not name.startswith("on"), html
			if name in ("href", "src"):
				assert (
					not (value or "").strip().lower().startswith(("javascript:", "data:text", "vbscript:"))
				), html
		if tag == "img":
			assert (attrs.get("src") or "/files/").startswith(
				("/files/", "/private/files/", "data:image/")
			), html


def test_known_attacks_are_disarmed():
	for attack in ATTACKS:
		assert_harmless(rich_text(attack))
		assert not Tags(plain_text(attack)).seen, (attack, plain_text(attack))


def test_what_a_support_reply_needs_is_kept():
	kept = rich_text(
		'<p>Run <code>bench migrate</code>, see <a href="https://docs.example.com/x">docs</a>.</p><ul><li>one</li></ul>'
	)
	assert "<code>bench migrate</code>" in kept
	assert '<a href="https://docs.example.com/x" rel="noopener noreferrer nofollow">docs</a>' in kept
	assert "<li>one</li>" in kept
	assert rich_text("line one\nline two") == "line one<br>line two"
	assert plain_text("  Invoice   fails <b>today</b> ") == "Invoice fails today"
	assert plain_text("a < b and c > d") == "a < b and c > d"
	assert plain_text("x" * 200, 140) == "x" * 140
	assert rich_text(None) is None and plain_text(None) is None


markup = st.lists(
	st.sampled_from(
		[
			"<",
			">",
			"&",
			"&lt;",
			"&gt;",
			'"',
			"'",
			"=",
			"/",
			"!--",
			"-->",
			" ",
			"\n",
			"img",
			"script",
			"a href=",
			"javascript:",
			"onerror",
			"src=x",
			"p",
			"b",
			"svg",
			"style",
			"alert(1)",
			"&#60;",
			"x",
			"<p>",
			"</p>",
		]
	),
	max_size=30,
).map("".join)
text = st.one_of(st.text(max_size=200), markup)


@settings(max_examples=400, deadline=None)
@given(text)
def test_rich_text_is_harmless_and_stable(value):
	once = rich_text(value)
	assert_harmless(once)
	assert rich_text(once) == once


@settings(max_examples=400, deadline=None)
@given(text)
def test_plain_text_has_no_tags_and_is_stable(value):
	once = plain_text(value)
	assert not Tags(once).seen, (value, once)
	assert plain_text(once) == once


@settings(max_examples=200, deadline=None)
@given(
	st.text(
		alphabet=st.characters(blacklist_characters="<>&", blacklist_categories=("Cs", "Cc")), max_size=100
	)
)
def test_plain_words_pass_unchanged(value):
	assert plain_text(value) == " ".join(value.split())
