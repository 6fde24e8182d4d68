#!/usr/bin/python3
"""Extract the fields tcmis imports from an IATI activity file with lxml's
iterparse, the technique of the Python IATI tools, for the side-by-side
benchmark in scripts/bench-iati.sh. Prints one line of figures.

Usage: /usr/bin/python3 scripts/iati_extract.py FILE
"""
import os
import sys
import time

from lxml import etree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def narratives(el):
    if el is None:
        return []
    return [(n.get(XML_LANG, ""), n.text or "") for n in el.findall("narrative")]


def org(el):
    if el is None:
        return None
    return {k: el.get(k) for k in ("ref", "type", "role", "activity-id", "provider-activity-id", "receiver-activity-id")} | {
        "name": narratives(el)}


def value(el):
    if el is None:
        return None
    return {"amount": (el.text or "").strip(), "currency": el.get("currency"), "value-date": el.get("value-date")}


def period(el):
    s, e = el.find("period-start"), el.find("period-end")
    return (s.get("iso-date") if s is not None else None, e.get("iso-date") if e is not None else None)


def activity(a):
    out = {
        "identifier": (a.findtext("iati-identifier") or "").strip(),
        "lang": a.get(XML_LANG), "currency": a.get("default-currency"),
        "reporting": org(a.find("reporting-org")),
        "title": narratives(a.find("title")),
        "descriptions": [(d.get("type"), narratives(d)) for d in a.findall("description")],
        "participants": [org(o) for o in a.findall("participating-org")],
        "status": a.find("activity-status").get("code") if a.find("activity-status") is not None else None,
        "dates": [(d.get("type"), d.get("iso-date")) for d in a.findall("activity-date")],
        "countries": [(c.get("code"), c.get("percentage")) for c in a.findall("recipient-country")],
        "regions": [(c.get("code"), c.get("vocabulary"), c.get("percentage")) for c in a.findall("recipient-region")],
        "sectors": [(c.get("code"), c.get("vocabulary"), c.get("percentage")) for c in a.findall("sector")],
        "policy": [(c.get("code"), c.get("significance")) for c in a.findall("policy-marker")],
        "budgets": [(b.get("type"), b.get("status"), period(b), value(b.find("value"))) for b in a.findall("budget")],
        "planned": [(b.get("type"), period(b), value(b.find("value")), org(b.find("provider-org")), org(b.find("receiver-org")))
                    for b in a.findall("planned-disbursement")],
        "transactions": [],
        "documents": [(d.get("url"), d.get("format"), narratives(d.find("title")), [c.get("code") for c in d.findall("category")])
                      for d in a.findall("document-link")],
        "results": [],
    }
    for t in a.findall("transaction"):
        tt, td = t.find("transaction-type"), t.find("transaction-date")
        out["transactions"].append({
            "ref": t.get("ref"),
            "type": tt.get("code") if tt is not None else None,
            "date": td.get("iso-date") if td is not None else None,
            "value": value(t.find("value")),
            "description": narratives(t.find("description")),
            "provider": org(t.find("provider-org")),
            "receiver": org(t.find("receiver-org")),
        })
    for r in a.findall("result"):
        inds = []
        for i in r.findall("indicator"):
            inds.append({
                "measure": i.get("measure"), "title": narratives(i.find("title")),
                "baselines": [(b.get("year"), b.get("value"), narratives(b.find("comment"))) for b in i.findall("baseline")],
                "periods": [(period(p), [t.get("value") for t in p.findall("target")], [t.get("value") for t in p.findall("actual")])
                            for p in i.findall("period")],
            })
        out["results"].append({"type": r.get("type"), "title": narratives(r.find("title")), "indicators": inds})
    return out


def main():
    path = sys.argv[1]
    start = time.perf_counter()
    activities = transactions = 0
    for _, el in etree.iterparse(path, events=("end",), tag="iati-activity", huge_tree=False, resolve_entities=False):
        a = activity(el)
        activities += 1
        transactions += len(a["transactions"])
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]
    seconds = time.perf_counter() - start
    size = os.path.getsize(path)
    print(f"python-lxml: {activities} activities, {transactions} transactions, {size / 1e6:.1f} MB in {seconds:.1f} s: "
          f"{size / 1e6 / seconds:.1f} MB/s, {activities / seconds:.0f} activities/s")


if __name__ == "__main__":
    main()
