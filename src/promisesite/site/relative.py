"""Links between pages made relative to the page that holds them, as MkDocs writes them: the same
site then works opened from disk, served under any sub-path (GitLab and GitHub project pages) and
at a domain's root. Pages are rendered with links from the site's base (`/base/teams/`, so that a
row of a table can be rendered once and shown on pages at any depth); each page's links are then
rewritten from where that page lies.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache


@lru_cache(maxsize=64)
def _pattern(base: str) -> re.Pattern[str]:
    # An attribute whose value starts with the base path (and not `//`, a link to another host).
    return re.compile(r'(\s(?:href|src|content)=")' + re.escape(base) + r'(?!/)([^"]*)"')


def root_of(page_url: str, base: str) -> str:
    """The way from a page up to the site's root: `` at the root, `../../` two folders down."""
    inside = page_url[len(base) :] if page_url.startswith(base) else page_url.lstrip("/")
    depth = inside.count("/")
    return "../" * depth


def relative_links(html: str, page_url: str, base: str) -> str:
    """The page with every link into the site (`href`, `src` and a meta's `content` that starts with
    `base`) written from where the page lies: `/base/teams/x/` on `/base/people/y/` is `../../teams/x/`;
    a link to the root is `./` from the root itself."""
    root = root_of(page_url, base)
    return _pattern(base).sub(lambda m: f'{m.group(1)}{root + m.group(2) or "./"}"', html)


# The 404 page is served for a missing path at any depth, so no relative link in it can be right,
# and its links from `base_url` are right only when that names where the site is served. This script
# finds the site's root by asking, from the deepest folder of the address up, for a file every site
# has, then points the page's links, style and scripts there. Inline (a CSP hash allows exactly it),
# since no external script can be found before the root is.
ROOT_FINDER = (
    "(function(){var base=document.documentElement.getAttribute('data-base')||'/';"
    "var parts=location.pathname.split('/');parts.pop();var roots=[];"
    "while(parts.length){roots.push(parts.join('/')+'/');parts.pop();}"
    "function fix(root){if(root===base)return;"
    "if(document.readyState==='loading'){document.addEventListener('DOMContentLoaded',function(){fix(root);});return;}"
    "document.querySelectorAll('[href],[src],meta[content]').forEach(function(e){"
    "['href','src','content'].forEach(function(a){var v=e.getAttribute(a);"
    "if(v&&v.indexOf(base)===0&&v.charAt(base.length)!=='/'){var n=root+v.slice(base.length);"
    "if(e.tagName==='SCRIPT'){var s=document.createElement('script');s.src=n;e.replaceWith(s);}"
    "else e.setAttribute(a,n);}});});}"
    "function next(i){if(i>=roots.length)return;"
    "fetch(roots[i]+'assets/site.js',{method:'HEAD'}).then(function(r){if(r.ok)fix(roots[i]);else next(i+1);},"
    "function(){next(i+1);});}next(0);})();"
)
ROOT_FINDER_HASH = "sha256-" + base64.b64encode(hashlib.sha256(ROOT_FINDER.encode()).digest()).decode()
