"""HTTP Digest access authentication (RFC 7616, MD5 and SHA-256, ``qop=auth``): the answer
to a server's ``WWW-Authenticate: Digest`` challenge. Virtuoso's Graph Store endpoint
(``/sparql-graph-crud-auth``) takes nothing else.

The example of RFC 2617, section 3.5:

>>> challenge = ('Digest realm="testrealm@host.com", qop="auth", '
...              'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"')
>>> digest_header(challenge, "GET", "/dir/index.html", "Mufasa", "Circle Of Life",
...               cnonce="0a4f113b").split("response=")[1]
'"6629fae49393a05397450978507c4ef1"'
"""

from __future__ import annotations

import hashlib
import os
import re

_PARAM = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


def challenge_params(challenge: str) -> dict[str, str]:
    """The parameters of a Digest challenge.

    >>> challenge_params('Digest realm="SPARQL", qop="auth", algorithm=MD5')["algorithm"]
    'MD5'
    """
    return {m[1].lower(): m[2] if m[2] is not None else m[3]
            for m in _PARAM.finditer(challenge.partition(" ")[2])}


def digest_header(challenge: str, method: str, uri: str, user: str, password: str, *,
                  cnonce: str | None = None) -> str:
    """The Authorization header answering ``challenge`` for one request."""
    params = challenge_params(challenge)
    algorithm = params.get("algorithm", "MD5").upper()
    name = "sha256" if algorithm.startswith("SHA-256") else "md5"

    def h(text: str) -> str:
        return hashlib.new(name, text.encode("utf-8")).hexdigest()

    realm, nonce = params.get("realm", ""), params.get("nonce", "")
    ha1, ha2 = h(f"{user}:{realm}:{password}"), h(f"{method}:{uri}")
    fields = [f'username="{user}"', f'realm="{realm}"', f'nonce="{nonce}"', f'uri="{uri}"']
    if "auth" in [q.strip() for q in params.get("qop", "").split(",")]:
        cnonce = cnonce or os.urandom(8).hex()
        response = h(f"{ha1}:{nonce}:00000001:{cnonce}:auth:{ha2}")
        fields += ["qop=auth", "nc=00000001", f'cnonce="{cnonce}"']
    else:
        response = h(f"{ha1}:{nonce}:{ha2}")
    fields.append(f'response="{response}"')
    if "opaque" in params:
        fields.append(f'opaque="{params["opaque"]}"')
    if "algorithm" in params:
        fields.append(f"algorithm={params['algorithm']}")
    return "Digest " + ", ".join(fields)
