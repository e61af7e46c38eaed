"""Markup and script from members -- in titles, bodies, content warnings, display names and search -- never runs.

Every payload goes through the real posting path and every page that shows it is parsed: no script element,
no event-handler attribute, no javascript:/data:/vbscript: URL, no style attribute, no tag our templates do
not use.
"""

from html.parser import HTMLParser

import pytest

from forum import services
from tests.factories import UserFactory

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script>/*</script><script>alert(1)//*/</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    '<img src="x" onerror="alert(1)"/>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>XSS</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>">',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "[x](javascript&#58;alert(1))",
    "![img](javascript:alert(1))",
    '![img](x "onerror=alert(1)")',
    '[a](https://example.com" onmouseover="alert(1))',
    "<javascript:alert(1)>",
    '<https://example.com/" onclick="alert(1)>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="x:expression(alert(1))">x</p>',
    "<style>@import 'javascript:alert(1)';</style>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    '<table background="javascript:alert(1)">',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    '<a href="#" onclick="alert(1)">x</a>',
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "> <img src=x onerror=alert(1)>",
    "* <svg/onload=alert(1)>",
    "@[<script>alert(1)</script>]",
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116'
    '&#0000058alert(1)">x</a>',
    '<IMG """><SCRIPT>alert(1)</SCRIPT>">',
    '<div onpointerover="alert(1)">hover</div>',
    # CommonMark forms (members.markup renders CommonMark): reference links, angle-bracket destinations,
    # tilde fences, entities and escapes inside destinations, autolinks with other schemes.
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    '[x][ref]\n\n[ref]: <javascript:alert(1)> "t"',
    "[x](<javascript:alert(1)>)",
    "[x](java&#115;cript:alert(1))",
    "[x](java\\script:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "~~~\n<script>alert(1)</script>\n~~~",
    "<data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==>",
    "<vbscript:msgbox(1)>",
    "    <script>alert(1)</script>",
    "**<img src=x onerror=alert(1)>**",
]

# Every tag our forum templates and base.html use, plus what the Markdown allow-list lets through.
ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "link",
    "body",
    "a",
    "header",
    "div",
    "nav",
    "ul",
    "ol",
    "li",
    "strong",
    "span",
    "form",
    "input",
    "button",
    "main",
    "p",
    "h1",
    "h2",
    "h3",
    "footer",
    "section",
    "label",
    "textarea",
    "select",
    "option",
    "article",
    "time",
    "details",
    "summary",
    "em",
    "del",
    "blockquote",
    "code",
    "pre",
    "br",
    "hr",
    "mark",
    "fieldset",
    "legend",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "background", "poster", "srcdoc", "content"}


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.in_head = False
        self.script_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self.in_head = True
        attributes = dict(attrs)
        if tag == "script" and (attributes.get("src") or "").startswith("/static/") and self.in_head is False:
            # Our own script files (htmx), served from /static/ as the CSP demands; checked for content below.
            self.script_depth += 1
        elif tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        if tag in ("meta", "link") and not self.in_head:
            self.problems.append(f"<{tag}> outside head")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name == "style":
                self.problems.append(f"<{tag} style>")
            if name in URL_ATTRS and value:
                squeezed = "".join(ch for ch in value if ch > " ").lower()
                if squeezed.startswith(BAD_SCHEMES) or (name == "content" and "url=" in squeezed):
                    self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if tag == "script" and self.script_depth:
            self.script_depth -= 1

    def handle_data(self, data):
        if self.script_depth and data.strip():
            self.problems.append("inline code in a /static/ script element")


def assert_inert(html: str, where: str) -> None:
    checker = _Checker()
    checker.feed(html)
    assert not checker.problems, f"{where}: {checker.problems}"


def test_there_are_enough_payloads():
    assert len(PAYLOADS) >= 50


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_inert_everywhere_it_shows(payload, adult_category, member, member_client, client_for):
    nasty = UserFactory(display_name="Nasty")
    # Display names are validated at sign-up; this one is written directly, as if an old row slipped through.
    type(nasty).objects.filter(pk=nasty.pk).update(display_name=payload[:40])
    nasty.refresh_from_db()
    title = payload[:200]
    topic = services.create_topic(
        category=adult_category, author=nasty, title=title, body=f"{payload}\n\nsearchword", content_warning=""
    )
    reply = services.create_reply(
        topic=topic, author=member, body=f"Reply {payload} searchword", content_warning=payload[:200]
    )
    services.edit_post(post=reply, editor=member, body=f"Edited {payload} searchword", base_revision=1)
    services.add_bookmark(post=reply, user=member)
    opening = topic.posts.get(position=1)
    pages = {
        "forum index": "/forum/",
        "category": f"/forum/c/{adult_category.slug}/",
        "topic": f"/forum/t/{topic.pk}/",
        "quote form": f"/forum/t/{topic.pk}/reply/?quote={opening.pk}",
        "search": "/forum/search/?q=searchword",
        "search for the payload": "/forum/search/?" + __import__("urllib.parse").parse.urlencode({"q": payload}),
        "bookmarks": "/forum/bookmarks/",
        "history": f"/forum/p/{reply.pk}/history/",
        "edit form": f"/forum/p/{reply.pk}/edit/",
        "member page": f"/forum/members/{nasty.pk}/",
    }
    for where, url in pages.items():
        response = member_client.get(url)
        assert response.status_code == 200, where
        assert_inert(response.content.decode(), f"{where} with {payload!r}")
    # Stored HTML itself is clean, not only what the templates make of it.
    for post in topic.posts.all():
        assert_inert(post.html, f"stored html with {payload!r}")


def test_the_checker_catches_what_it_should():
    for bad in [
        "<img src=x onerror=alert(1)>",
        "<script>x</script>",
        '<a href="javascript:x">a</a>',
        '<a href=" JAVA\tSCRIPT:x">a</a>',
        '<p style="color:red">x</p>',
        "<svg></svg>",
    ]:
        checker = _Checker()
        checker.feed(bad)
        assert checker.problems, bad
