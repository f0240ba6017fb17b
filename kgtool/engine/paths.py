"""Property paths with ``*`` or ``+``, rewritten for a store that answers them wrongly.

Virtuoso 7 gives silently wrong row counts for ``*`` paths as soon as a query holds two of
them, or a bound end and a VALUES block (140 rows become 0). The path's step is asked on its
own (``SELECT DISTINCT ?a ?b { ?a STEP ?b }``, which every store answers right), its closure is
computed here, and the path becomes a join with that closure as inline data:

``S pre/STEP* O``  becomes  ``S pre ?k . OPTIONAL { VALUES (?k ?c) { closure } }
FILTER (sameTerm(COALESCE(?c, ?k), O))`` (or ``BIND (... AS O)`` where O is new), the
zero-length path of a node outside the closure being the node itself. ``+`` joins the
closure without the zero-length pairs. A path this cannot rewrite exactly (an alternative or
a group under the star, a blank node subject, an object list) is refused with an error rather
than answered wrongly.

>>> a, t = ox.NamedNode("http://e.org/a"), ox.NamedNode("http://e.org/t")
>>> rewrite_paths("SELECT ?c { ?c <http://e.org/p>* <http://e.org/t> }", lambda *_: [(a, t)])
'SELECT ?c { VALUES ?c { <http://e.org/a> <http://e.org/t> } }'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox

from kgtool.engine.base import Term
from kgtool.engine.sparql import tokens
from kgtool.errors import UsageError

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: The largest closure inlined in a query; a bigger one is refused.
MAX_PAIRS = 50_000
_TERM = ("var", "iri", "pname")
Closure = Callable[[str, bool], Iterable[tuple[Term, Term]]]


def closure_pairs(edges: Iterable[tuple[Term, Term]], reflexive: bool) -> list[tuple]:
    """The transitive (and with ``reflexive``, reflexive) closure of ``edges``, sorted.

    >>> a, b, c = (ox.NamedNode(f"http://e.org/{x}") for x in "abc")
    >>> [(x.value[-1], y.value[-1]) for x, y in closure_pairs([(a, b), (b, c)], False)]
    [('a', 'b'), ('a', 'c'), ('b', 'c')]
    """
    nxt: dict = {}
    for s, o in edges:
        nxt.setdefault(s, set()).add(o)
        nxt.setdefault(o, set())
    pairs = set()
    for start in nxt:
        seen, todo = set(), list(nxt[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(nxt[node])
        if reflexive:
            seen.add(start)
        pairs.update((start, end) for end in seen)
        if len(pairs) > MAX_PAIRS:
            raise UsageError(f"a property path's closure has more than {MAX_PAIRS} pairs, too "
                             "many to rewrite for this store",
                             hint="query the embedded store, or a store that evaluates "
                                  "property paths itself")
    return sorted((p for p in pairs if not any(isinstance(t, ox.BlankNode) for t in p)),
                  key=lambda p: (str(p[0]), str(p[1])))


def _prefixes(parts: list[tuple[str, str]]) -> dict[str, str]:
    out, words = {}, [(k, t) for k, t in parts if k not in ("ws", "comment")]
    for i, (kind, text) in enumerate(words[:-2]):
        if kind == "word" and text.upper() == "PREFIX" and words[i + 2][0] == "iri":
            out[words[i + 1][1][:-1]] = words[i + 2][1][1:-1]
    return out


def _iri(text: str, kind: str, prefixes: dict[str, str]) -> str:
    if kind == "word":
        return RDF_TYPE
    if kind == "iri":
        return text[1:-1]
    prefix, _, local = text.partition(":")
    if prefix not in prefixes:
        raise UsageError(f"the prefix {prefix}: is not declared", hint="add a PREFIX line")
    return prefixes[prefix] + local.replace("\\", "")


def _refuse(why: str) -> UsageError:
    return UsageError(f"this store answers property paths wrongly, and {why} cannot be "
                      "rewritten exactly", hint="query the embedded store (leave out "
                      "--endpoint), or write the path as a single step with * or +")


def _is_step(token: tuple[str, str]) -> bool:
    return token[0] in ("iri", "pname") or (token[0] == "word" and token[1] == "a")


def rewrite_paths(sparql: str, closure: Closure) -> str:
    """Rewrite every ``STEP*`` and ``STEP+`` path (STEP an IRI, ``a`` or ``^IRI``) as a
    join with its closure; ``closure(iri, inverse)`` gives the step's edges."""
    parts = tokens(sparql)
    prefixes = _prefixes(parts)
    count = 0
    while True:
        found = _next_path(parts)
        if found is None:
            return "".join(t for _, t in parts)
        parts = _rewrite_one(parts, found, closure, prefixes, count)
        count += 1


def _code(parts: list[tuple[str, str]]) -> list[int]:
    return [i for i, (k, _) in enumerate(parts) if k not in ("ws", "comment")]


def _next_path(parts: list[tuple[str, str]]) -> int | None:
    code = _code(parts)
    for n, i in enumerate(code[1:], 1):
        if parts[i] in (("other", "*"), ("other", "+")) and parts[code[n - 1]][1] == ")":
            depth, m = 0, n - 1
            while m > 0:
                text = parts[code[m]][1]
                depth += {")": 1, "(": -1}.get(text, 0)
                if depth == 0:
                    break
                m -= 1
            if m > 0 and (parts[code[m - 1]][0] in _TERM or parts[code[m - 1]][1] in
                          (";", "/", "|", "^")):
                raise _refuse("a repeated group of steps")
        if parts[i] in (("other", "*"), ("other", "+")) and _is_step(parts[code[n - 1]]):
            before = parts[code[n - 2]][1] if n >= 2 else ""
            if before in ("/", "^", "|", "(", ";") or parts[code[n - 2]][0] in _TERM:
                return n
    return None


def _rewrite_one(parts, n: int, closure: Closure, prefixes, count: int):
    code = _code(parts)
    tok = [parts[i] for i in code]
    star = tok[n][1]
    step = n - 1
    inverse = step >= 1 and tok[step - 1][1] == "^"
    start = step - 1 if inverse else step
    after = tok[n + 1] if n + 1 < len(tok) else ("", "")
    if after[1] in ("/", "|", ")") or (start >= 1 and tok[start - 1][1] in ("|", "(")):
        raise _refuse("a path with an alternative or a group around the repeated step")
    pre_start = start
    while pre_start >= 2 and tok[pre_start - 1][1] == "/":
        j = pre_start - 2
        if not _is_step(tok[j]):
            raise _refuse("a sequence with a group before the repeated step")
        pre_start = j - 1 if j >= 1 and tok[j - 1][1] == "^" else j
    if after[0] not in _TERM:
        raise _refuse("a path to a literal, a blank node or a collection")
    obj = after[1]
    follow = tok[n + 2][1] if n + 2 < len(tok) else ""
    if follow == ",":
        raise _refuse("an object list after the path")
    # the statement's subject: the term before the verb, or the start of the statement
    continued = tok[pre_start - 1][1] == ";"
    if continued:
        s = pre_start - 1
        depth = 0
        while s > 0:
            s -= 1
            text = tok[s][1]
            if text in (")", "]"):
                depth += 1
            elif text in ("(", "["):
                depth -= 1
            elif depth == 0 and text in (".", "{", "}"):
                break
        subject_at = s + 1
    else:
        subject_at = pre_start - 1
    if tok[subject_at][0] not in _TERM:
        raise _refuse("a path from a blank node or a collection")
    subject = tok[subject_at][1]
    group = _group_start(tok, subject_at)
    earlier = {t for k, t in tok[group:subject_at] if k == "var"}
    k, c = f"?_kp{count}", f"?_cp{count}"
    pre = " ".join(t for _, t in tok[pre_start:start]).rstrip("/ ").replace(" / ", "/")
    edges = closure(_iri(tok[step][1], tok[step][0], prefixes), inverse)
    found = closure_pairs(edges, star == "*")
    pairs = " ".join(f"({a} {b})" for a, b in found)
    variable = subject.startswith(("?", "$"))
    if not obj.startswith(("?", "$")):  # a constant end: the starts that reach it
        end = ox.NamedNode(_iri(obj, after[0], prefixes))
        starts = " ".join(sorted({str(a) for a, b in found if b == end}
                                 | ({str(end)} if star == "*" else set())))
        target = k if pre else subject
        head = f"{subject} {pre} {k} . " if pre else ""
        inline = f"VALUES {target} {{ {starts} }}" if pre or variable else \
            ("" if subject in starts.split() else "FILTER (false)")
        return _splice(parts, code, subject_at, pre_start, n, follow, continued, subject,
                       head + inline)
    if pre:
        head = f"{subject} {pre} {k} ."
    elif variable and subject not in earlier:
        raise _refuse(f"a path from {subject}, which nothing before it binds, to a variable")
    elif variable:
        head, k = "", subject
    else:
        head = f"BIND ({subject} AS {k})"
    o = f"?_op{count}"
    if star == "*":
        join = f"OPTIONAL {{ VALUES ({k} {c}) {{ {pairs} }} }} BIND (COALESCE({c}, {k}) AS {o})"
    else:
        join = f"VALUES ({k} {o}) {{ {pairs} }}"
    if obj not in earlier and obj != subject:
        tail = f"BIND ({o} AS {obj})"
    else:
        tail = f"FILTER (sameTerm({o}, {obj}))"
    return _splice(parts, code, subject_at, pre_start, n, follow, continued, subject,
                   f"{head} {join} {tail}")


def _splice(parts, code, subject_at, pre_start, n, follow, continued, subject, expansion):
    """The tokens with the statement's path replaced by ``expansion``; a predicate-object
    list around it is split into statements on the same subject."""
    first = pre_start - 1 if continued else subject_at
    last = n + 3 if follow == ";" else n + 2
    text = "".join(t for _, t in parts[:code[first]])
    text += (" . " if continued else "") + f"{expansion} "
    if last < len(code):
        text += (f"{subject} " if follow == ";" else "") + "".join(
            t for _, t in parts[code[last]:])
    return tokens(text)


def _group_start(tok: list[tuple[str, str]], at: int) -> int:
    """The index after the ``{`` that opens the innermost group holding ``tok[at]``."""
    depth = 0
    for i in range(at - 1, -1, -1):
        if tok[i][1] == "}":
            depth += 1
        elif tok[i][1] == "{":
            if depth == 0:
                return i + 1
            depth -= 1
    return 0
