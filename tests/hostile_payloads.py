"""Known XSS payloads for comments: each, if it ran, would set window.__xss or open an alert."""

from __future__ import annotations

JS = "window.__xss=1;alert(1)"

PAYLOADS: dict[str, str] = {
    # plain HTML
    "script": f"<script>{JS}</script>",
    "script-upper": f"<SCRIPT>{JS}</SCRIPT>",
    "script-split": f"<scr<script>ipt>{JS}</scr</script>ipt>",
    "img-onerror": f'<img src=x onerror="{JS}">',
    "img-onerror-backtick": f"<img src=`x` onerror={JS}>",
    "svg-onload": f'<svg onload="{JS}">',
    "svg-script": f"<svg><script>{JS}</script></svg>",
    "svg-animate-href": f'<svg><a><animate attributeName="href" values="javascript:{JS}"/>'
    "<text x=20 y=20>svg</text></a></svg>",
    "math-href": f'<math><maction actiontype="statusline" xlink:href="javascript:{JS}">m'
    "</maction></math>",
    "math-mxss": f"<math><mtext><table><mglyph><style><img src=x onerror={JS}>",
    "noscript-mxss": f'<noscript><p title="</noscript><img src=x onerror={JS}>">',
    "iframe-js": f'<iframe src="javascript:{JS}"></iframe>',
    "iframe-srcdoc": f'<iframe srcdoc="<script>parent.{JS}</script>"></iframe>',
    "object-data": f'<object data="javascript:{JS}"></object>',
    "embed-src": f'<embed src="javascript:{JS}">',
    "base-href": f'<base href="javascript:{JS}//">',
    "meta-refresh": f'<meta http-equiv="refresh" content="0;url=javascript:{JS}">',
    "form-action": f'<form action="javascript:{JS}"><button>gửi</button></form>',
    "button-formaction": f'<button formaction="javascript:{JS}">b</button>',
    "details-ontoggle": f'<details open ontoggle="{JS}"><summary>x</summary></details>',
    "body-onload": f'<body onload="{JS}">',
    "input-autofocus": f'<input autofocus onfocus="{JS}">',
    "video-source": f'<video><source onerror="{JS}"></video>',
    "style-element": f"<style>@import 'javascript:{JS}';body{{background:red}}</style>",
    "style-expression": f'<p style="width: expression({JS})">ie</p>',
    "style-url": f'<div style="background:url(javascript:{JS})">s</div>',
    "link-import": '<link rel="import" href="data:text/html,<script>alert(1)</script>">',
    "template-script": f"<template><script>{JS}</script></template>",
    "attribute-breakout": f'"><script>{JS}</script>',
    "textarea-breakout": f"</textarea><script>{JS}</script>",
    "title-breakout": f"</title><script>{JS}</script>",
    # links
    "a-javascript": f'<a href="javascript:{JS}">nhấn</a>',
    "a-javascript-case": f'<a href="JaVaScRiPt:{JS}">hoa</a>',
    "a-javascript-space": f'<a href="  javascript:{JS}">cách</a>',
    "a-javascript-tab-entity": f'<a href="jav&#x09;ascript:{JS}">tab</a>',
    "a-javascript-newline-entity": f'<a href="jav&#10;ascript:{JS}">nl</a>',
    "a-javascript-decimal": '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;'
    '&#58;alert(1)">dec</a>',
    "a-javascript-colon-entity": f'<a href="javascript&colon;{JS}">colon</a>',
    "a-data-html": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
    "a-vbscript": '<a href="vbscript:msgbox(1)">vb</a>',
    "a-onclick": f'<a href="https://example.org/" onclick="{JS}">ok</a>',
    "a-title-breakout": f'<a href="https://example.org/" title="x&quot; onmouseover=&quot;{JS}">'
    "t</a>",
    # Markdown links and images
    "md-link-javascript": f"[x](javascript:{JS})",
    "md-image-javascript": f"![x](javascript:{JS})",
    "md-link-leading-spaces": f"[x](  javascript:{JS})",
    "md-link-angle": f"[x](<javascript:{JS}>)",
    "md-link-entity-tab": f"[x](jav&#x09;ascript:{JS})",
    "md-link-entity-j": f"[x](&#106;avascript:{JS})",
    "md-link-colon-entity": f"[x](javascript&colon;{JS})",
    "md-link-percent": f"[x](javascript%3A{JS})",
    "md-link-data": "[x](data:text/html,<script>alert(1)</script>)",
    "md-link-vbscript": "[x](vbscript:msgbox(1))",
    "md-reference": f"[x][r]\n\n[r]: javascript:{JS}",
    "md-reference-title": f'[x][r]\n\n[r]: https://example.org/ "a\\" onmouseover=\\"{JS}"',
    "md-autolink": f"<javascript:{JS}>",
    "md-link-title-quote": f'[x](https://example.org/ "t\\" onmouseover=\\"{JS}")',
    "md-image-onerror-alt": f'![" onerror="{JS}](x)',
    "md-html-in-code": f"`<script>{JS}</script>` và\n\n    <script>{JS}</script>",
    "md-nested-link": f"[[x](javascript:{JS})](https://example.org/)",
    # already-escaped text must stay text
    "escaped-entities": f"&lt;script&gt;{JS}&lt;/script&gt;",
    "double-escaped": f"&amp;lt;script&amp;gt;{JS}",
    # template injection
    "jinja": "{{ 7*7 }} {% raw %}{{ config }}{% endraw %} ${7*7}",
}
