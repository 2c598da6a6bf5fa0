#!/usr/bin/env python3
"""Integration test of `embargo serve`: starts the real server on 127.0.0.1
with an ephemeral port and drives it over HTTP (python3 stdlib only).

usage: test_serve.py PATH/TO/embargo   (run from the source root)
Prints one line per check and a final "N passed, N failed"; exits 1 on failure.
"""
import http.client
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/embargo")
UN_XML = os.path.join("data", "lists", "un", "un_sanctions.xml")
PASSED = 0
FAILED = 0


def check(name, cond, detail=""):
    global PASSED, FAILED
    if cond:
        PASSED += 1
        print("ok   " + name)
    else:
        FAILED += 1
        print("FAIL " + name + (": " + str(detail)[:400] if detail else ""))


class Server:
    def __init__(self, tmp, *args):
        self.err_path = os.path.join(tmp, "stderr-%d.txt" % time.monotonic_ns())
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen([BIN, "serve", "--port", "0", "--threads", "2"] + list(args),
                                     stdout=subprocess.DEVNULL, stderr=self.err)
        self.port = None
        deadline = time.time() + 20
        while time.time() < deadline and self.port is None:
            with open(self.err_path) as f:
                for line in f:
                    if line.startswith("listening on http://127.0.0.1:"):
                        self.port = int(line.strip().rsplit(":", 1)[1])
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if self.port is None:
            raise RuntimeError("server did not start: " + open(self.err_path).read())

    def conn(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def req(self, method, path, body=None, headers=None, conn=None):
        c = conn or self.conn()
        h = dict(headers or {})
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            h.setdefault("Content-Type", "application/json")
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        raw = r.read()
        if conn is None:
            c.close()
        js = None
        if "json" in (r.getheader("Content-Type") or ""):
            try:
                js = json.loads(raw)
            except ValueError:
                js = None
        return r.status, js, r, raw

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.err.close()
        return rc


def metric(srv, name, conn=None):
    _, _, _, raw = srv.req("GET", "/metrics", conn=conn)
    for line in raw.decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return None


def q_person(name, **props):
    p = {"name": [name]}
    p.update(props)
    return {"schema": "Person", "properties": p}


def test_match(s):
    st, js, r, _ = s.req("POST", "/match/default", {"queries": {"q1": q_person("Choe Chun Sik")}})
    check("match: 200", st == 200, st)
    res = js["responses"]["q1"]["results"] if js else []
    check("match: Choe Chun Sik -> KPi.013 first",
          res and res[0]["properties"].get("programId") == ["KPi.013"], res[:1])
    if res:
        top = res[0]
        for k in ("id", "caption", "schema", "properties", "datasets", "referents", "target",
                  "first_seen", "last_seen", "last_change", "score", "match", "explanations"):
            check("match: result has " + k, k in top)
        check("match: score/match", top["score"] >= 0.9 and top["match"] is True, top["score"])
        check("match: topics sanction", top["properties"].get("topics") == ["sanction"])
        check("match: dataset un_sc_sanctions", top["datasets"] == ["un_sc_sanctions"])
        check("match: name_match explanation", "name_match" in top["explanations"])
    check("match: total", js["responses"]["q1"]["total"]["value"] >= 1 and
          js["responses"]["q1"]["total"]["relation"] == "eq")
    check("match: query echoed", js["responses"]["q1"]["query"]["schema"] == "Person")
    check("match: limit", js["limit"] == 5)
    check("match: x-batch-size", r.getheader("x-batch-size") == "1")
    check("match: list headers", r.getheader("X-Embargo-List-Date", "").startswith("2026") and
          len(r.getheader("X-Embargo-List-Hash", "")) == 16)

    # the API-COMPAT.md example request, with an UN name added
    body = {"queries": {
        "entity1": {"schema": "Person", "properties": {"name": ["John Doe"],
                    "birthDate": ["1975-04-21"], "nationality": ["us"]}},
        "entity2": {"schema": "Company", "properties": {"name": ["Brilliant Amazing Limited"],
                    "jurisdiction": ["hk"], "registrationNumber": ["84BA99810"]}},
        "ship1": {"schema": "Vessel", "properties": {"name": ["Ocean Star"],
                  "imoNumber": ["IMO 9074729"]}},
        "kp": {"schema": "Person", "id": "my-1", "properties": {"name": ["Choe Chun Sik"],
               "birthDate": ["1954-10-12"], "nationality": ["kp"], "unknownProp": ["x"]}}},
        "weights": {"name_match": 1.0}, "config": {"nm_number_mismatch": 0.4}, "extra": 1}
    st, js, r, _ = s.req("POST", "/match/default?algorithm=logic-v2&cutoff=0.5", body)
    check("yente example: 200", st == 200, js)
    if st == 200:
        check("yente example: keys", set(js["responses"]) == {"entity1", "entity2", "ship1", "kp"})
        check("yente example: status 200", all(v["status"] == 200 for v in js["responses"].values()))
        kp = js["responses"]["kp"]
        check("yente example: id echoed", kp["query"]["id"] == "my-1")
        check("yente example: KPi.013 with dob",
              kp["results"] and kp["results"][0]["properties"]["programId"] == ["KPi.013"])
        check("yente example: x-batch-size 4", r.getheader("x-batch-size") == "4")
    st, js, _, _ = s.req("POST", "/match/un_sc_sanctions", {"queries": {"a": q_person("Choe Chun Sik")}})
    check("match un_sc_sanctions dataset", st == 200 and js["responses"]["a"]["results"])
    st, js, _, _ = s.req("POST", "/match/default?exclude_dataset=un_sc_sanctions",
                         {"queries": {"a": q_person("Choe Chun Sik")}})
    check("exclude_dataset", st == 200 and js["responses"]["a"]["results"] == [], js)
    st, js, _, _ = s.req("POST", "/match/default?exclude_entity_ids=un-6908500",
                         {"queries": {"a": q_person("Choe Chun Sik")}})
    check("exclude_entity_ids", st == 200 and all(
        x["id"] != "un-6908500" for x in js["responses"]["a"]["results"]))
    st, js, _, _ = s.req("POST", "/match/default?exclude_schema=Person",
                         {"queries": {"a": q_person("Choe Chun Sik")}})
    check("exclude_schema", st == 200 and js["responses"]["a"]["results"] == [])
    st, js, _, _ = s.req("POST", "/match/default?topics=crime",
                         {"queries": {"a": q_person("Choe Chun Sik")}})
    check("topics=crime", st == 200 and js["responses"]["a"]["results"] == [])
    st, js, _, _ = s.req("POST", "/match/default?topics=sanction&threshold=0.99&cutoff=0.3&limit=3",
                         {"queries": {"a": q_person("Kim Chol")}})
    res = js["responses"]["a"]["results"] if st == 200 else []
    check("threshold/cutoff/limit", st == 200 and 0 < len(res) <= 3 and js["limit"] == 3 and
          all(x["match"] == (x["score"] >= 0.99) for x in res), js)


def test_match_errors(s):
    one = {"queries": {"a": q_person("Choe Chun Sik")}}
    st, js, _, _ = s.req("POST", "/match/nope", one)
    check("404 unknown dataset", st == 404 and js["detail"] == "No such dataset.", js)
    st, js, _, _ = s.req("POST", "/match/default", b'{"queries": {"a": ')
    check("400 bad JSON with position", st == 400 and "byte" in js["detail"], js)
    st, js, _, _ = s.req("POST", "/match/default", {"queries": {}})
    check("400 no queries", st == 400 and js["detail"] == "No queries provided.", js)
    many = {"queries": {"q%d" % i: q_person("x y") for i in range(101)}}
    st, js, _, _ = s.req("POST", "/match/default", many)
    check("400 batch > 100", st == 400 and "Too many" in js["detail"], js)
    st, js, _, _ = s.req("POST", "/match/default", {"queries": {"a": {"properties": {"name": ["x"]}}}})
    check("422 missing schema", st == 422 and isinstance(js["detail"], list) and
          js["detail"][0]["loc"] == ["body", "queries", "a", "schema"], js)
    st, js, _, _ = s.req("POST", "/match/default", {"queries": {"a": {"schema": "Banana",
                                                                    "properties": {"name": ["x"]}}}})
    check("400 unknown schema", st == 400 and "Unknown schema" in js["detail"], js)
    st, js, _, _ = s.req("POST", "/match/default", {"nothing": 1})
    check("422 missing queries", st == 422 and isinstance(js["detail"], list), js)
    st, js, _, _ = s.req("POST", "/match/default?limit=501", one)
    check("422 limit > 500", st == 422 and isinstance(js["detail"], list), js)
    st, js, _, _ = s.req("POST", "/match/default?threshold=abc", one)
    check("422 bad threshold", st == 422, js)
    st, js, _, _ = s.req("POST", "/match/default?changed_since=yesterday", one)
    check("422 bad changed_since", st == 422, js)
    ids = "&".join("exclude_entity_ids=x%d" % i for i in range(51))
    st, js, _, _ = s.req("POST", "/match/default?" + ids, one)
    check("422 > 50 exclude_entity_ids", st == 422, js)
    st, js, _, _ = s.req("POST", "/match/default?algorithm=bogus", one)
    check("400 bad algorithm", st == 400 and js["detail"] == "Invalid algorithm: bogus", js)
    st, js, _, _ = s.req("POST", "/match/default", dict(one, config={"zzz": 1}))
    check("400 bad config key", st == 400 and "Invalid configuration parameter" in js["detail"], js)
    st, js, _, _ = s.req("GET", "/match/default")
    check("405 GET /match", st == 405, st)
    st, js, _, _ = s.req("GET", "/nothing-here")
    check("404 unknown path", st == 404, st)
    # 413: announce a body larger than 1 MiB
    sk = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    sk.sendall(b"POST /match/default HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Content-Length: 2000000\r\n\r\n" + b"{" * 1000)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sk.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    sk.close()
    check("413 big body", data.startswith(b"HTTP/1.1 413"), data[:60])
    # 413 without Content-Length: chunked upload past the cap
    c = s.conn()
    try:
        c.putrequest("POST", "/match/default")
        c.putheader("Transfer-Encoding", "chunked")
        c.endheaders()
        piece = b" " * 65536
        for _ in range(20):
            c.send(b"%x\r\n%s\r\n" % (len(piece), piece))
        c.send(b"0\r\n\r\n")
        r = c.getresponse()
        check("413 chunked body", r.status == 413, r.status)
    except OSError as e:
        check("413 chunked body", False, e)
    c.close()


def test_other(s):
    st, js, _, _ = s.req("GET", "/search/default?q=choe%20chun%20sik&limit=3")
    check("search: 200", st == 200 and js["results"] and js["limit"] == 3 and "total" in js, js)
    check("search: KPi.013 first", st == 200 and js["results"][0]["id"] == "un-6908500")
    st, js, _, _ = s.req("GET", "/search/default?schema=Person&countries=kp&limit=5&offset=2")
    check("search: filters without q", st == 200 and len(js["results"]) == 5 and
          all(x["schema"] == "Person" for x in js["results"]) and js["offset"] == 2, js)
    st, js, _, _ = s.req("GET", "/search/default?q=x&schema=Banana")
    check("search: 400 bad schema", st == 400, js)
    st, js, _, _ = s.req("GET", "/search/nope?q=x")
    check("search: 404 dataset", st == 404, js)
    st, js, _, _ = s.req("GET", "/search/default?limit=9999")
    check("search: 422 limit", st == 422, js)
    for eid in ("un-6908500", "unsc-6908500", "KPi.013"):
        st, js, _, _ = s.req("GET", "/entities/" + eid)
        check("entities: " + eid, st == 200 and js["id"] == "un-6908500", st)
    st, js, _, _ = s.req("GET", "/entities/NK-nothing")
    check("entities: 404", st == 404 and js["detail"] == "No such entity!", js)
    st, js, r, _ = s.req("GET", "/catalog")
    names = [d["name"] for d in js["datasets"]] if js else []
    check("catalog: datasets", st == 200 and "default" in names and "un_sc_sanctions" in names, js)
    un = [d for d in js["datasets"] if d["name"] == "un_sc_sanctions"][0]
    check("catalog: un details", un["entity_count"] > 900 and len(un["content_hash"]) == 16 and
          un["list_date"].startswith("2026") and un["last_load"]["status"] == "ok", un)
    etag = r.getheader("ETag")
    st, _, _, _ = s.req("GET", "/catalog", headers={"If-None-Match": etag or "x"})
    check("catalog: 304 on If-None-Match", st == 304, st)
    st, js, _, _ = s.req("GET", "/algorithms")
    check("algorithms", st == 200 and js["best"] == "embargo" and
          js["algorithms"][0]["name"] == "embargo", js)
    st, js, _, _ = s.req("GET", "/healthz")
    check("healthz", st == 200 and js == {"status": "ok"}, js)
    st, js, _, _ = s.req("GET", "/readyz")
    check("readyz", st == 200 and js["status"] == "ok", js)
    st, _, r, raw = s.req("GET", "/")
    check("page", st == 200 and r.getheader("Content-Type") == "text/html; charset=utf-8" and
          len(raw) > 0, r.getheader("Content-Type"))
    st, _, r, raw = s.req("GET", "/metrics")
    text = raw.decode()
    check("metrics", st == 200 and "embargo_http_requests_total{endpoint=\"match\",status=\"200\"}" in text
          and "embargo_entities_loaded" in text and "embargo_http_request_duration_seconds_bucket" in text
          and "embargo_reloads_total" in text and "embargo_list_date_seconds" in text, text[:300])


def facet_sorted(values):
    return values == sorted(values, key=lambda v: (-v["count"], v["name"]))


def test_facets(s):
    st, js, _, _ = s.req("GET", "/search/default?limit=3")
    total = js["total"]["value"] if st == 200 else 0
    check("facets: default set is countries, topics, datasets",
          st == 200 and set(js["facets"]) == {"countries", "topics", "datasets"}, js and js.get("facets"))
    if st != 200:
        return
    fac = js["facets"]
    check("facets: shape {label, values: [{name, label, count}]}",
          all(isinstance(f["label"], str) and isinstance(f["values"], list) and
              all(set(v) == {"name", "label", "count"} and isinstance(v["count"], int)
                  for v in f["values"]) for f in fac.values()), fac)
    check("facets: labels as yente's", fac["countries"]["label"] == "Countries" and
          fac["topics"]["label"] == "Topics" and fac["datasets"]["label"] == "Data sources",
          [f["label"] for f in fac.values()])
    check("facets: topics = sanction for every entity",
          fac["topics"]["values"] == [{"name": "sanction", "label": "Sanctioned entity",
                                       "count": total}], fac["topics"])
    ds = fac["datasets"]["values"]
    check("facets: datasets = un_sc_sanctions with the list title",
          len(ds) == 1 and ds[0]["name"] == "un_sc_sanctions" and ds[0]["count"] == total and
          ds[0]["label"].startswith("UN Security Council"), ds)
    cs = fac["countries"]["values"]
    kp = [v for v in cs if v["name"] == "kp"]
    check("facets: countries counted over all %d entities, not the page of 3" % total,
          len(cs) > 20 and kp and kp[0]["count"] > 3 and kp[0]["label"] == "North Korea", cs[:5])
    check("facets: countries sorted by count, then name", facet_sorted(cs), cs[:8])
    # each count is the total of the search filtered on that value
    for v in cs[:3] + cs[-2:]:
        st2, js2, _, _ = s.req("GET", "/search/default?limit=0&countries=" + v["name"])
        check("facets: count for %s = total of countries=%s" % (v["name"], v["name"]),
              st2 == 200 and js2["total"]["value"] == v["count"], (v, js2 and js2["total"]))
    # facets= picks and orders the fields; a field asked twice appears once
    st, js, _, _ = s.req("GET", "/search/default?limit=1&facets=schema&facets=genders"
                                "&facets=schema&facets=identifiers")
    check("facets=schema,genders,identifiers: exactly those",
          st == 200 and list(js["facets"]) == ["schema", "genders", "identifiers"], js and js["facets"].keys())
    if st == 200:
        sch = js["facets"]["schema"]
        check("facets: schema labels are FtM plurals, counts add up to the total",
              sch["label"] == "Entity types" and
              {v["name"]: v["label"] for v in sch["values"]} == {"Person": "People",
                                                                 "LegalEntity": "Legal entities"}
              and sum(v["count"] for v in sch["values"]) == total, sch)
        gen = js["facets"]["genders"]
        check("facets: genders", gen["label"] == "Genders" and
              {v["name"] for v in gen["values"]} <= {"male", "female"} and gen["values"] and
              all(v["label"] == v["name"] for v in gen["values"]), gen)
        ids = js["facets"]["identifiers"]["values"]
        check("facets: at most 1000 values per facet (yente's aggregation size)",
              len(ids) == 1000 and facet_sorted(ids), len(ids))
    st, js, _, _ = s.req("GET", "/search/default?q=choe%20chun%20sik&limit=1&facets=identifiers")
    ids = {v["name"] for v in js["facets"]["identifiers"]["values"]} if st == 200 else set()
    check("facets: identifiers hold programId and document numbers",
          "KPi.013" in ids and len(ids) > js["total"]["value"], sorted(ids)[:10])
    # with q: counted over every result passing the filters, not only the page
    st, js, _, _ = s.req("GET", "/search/default?q=kim&limit=1&facets=schema&facets=countries")
    check("facets with q: over all %s results" % (js and js["total"]["value"]),
          st == 200 and len(js["results"]) == 1 and js["total"]["value"] > 1 and
          sum(v["count"] for v in js["facets"]["schema"]["values"]) == js["total"]["value"], js)
    # filter_op: the count of ir among countries=kp results is the AND total
    st, js, _, _ = s.req("GET", "/search/default?limit=0&countries=kp&facets=countries")
    both = [v["count"] for v in js["facets"]["countries"]["values"] if v["name"] == "cn"] if st == 200 else []
    both = both[0] if both else 0
    st1, js1, _, _ = s.req("GET", "/search/default?limit=0&countries=kp&countries=cn&filter_op=AND")
    st2, js2, _, _ = s.req("GET", "/search/default?limit=0&countries=kp&countries=cn")
    st3, js3, _, _ = s.req("GET", "/search/default?limit=0&countries=cn")
    check("filter_op=AND: entities with both countries (= facet count)",
          st1 == 200 and js1["total"]["value"] == both, (both, js1))
    check("filter_op=OR (default): either country",
          st2 == 200 and js2["total"]["value"] == js["total"]["value"] + js3["total"]["value"] - both,
          (js2, js["total"], js3["total"], both))
    st, js, _, _ = s.req("GET", "/search/default?limit=0&datasets=un_sc_sanctions")
    check("datasets filter: un_sc_sanctions", st == 200 and js["total"]["value"] == total, js)
    st, js, _, _ = s.req("GET", "/search/default?limit=0&datasets=us_ofac_sdn")
    check("datasets filter: other dataset: nothing, empty facets",
          st == 200 and js["total"]["value"] == 0 and
          all(f["values"] == [] for f in js["facets"].values()), js)
    # filter=prop:value, on the properties each result shows
    st, js, _, _ = s.req("GET", "/search/default?limit=500&filter=nationality:kp")
    check("filter nationality:kp: every result has it, and there are some",
          st == 200 and js["total"]["value"] > 0 and
          all("kp" in r["properties"].get("nationality", []) for r in js["results"]), js)
    nkp = js["total"]["value"] if st == 200 else -1
    st, js, _, _ = s.req("GET", "/search/default?limit=0&filter=nationality:KP")
    check("filter values compare case-insensitively", st == 200 and js["total"]["value"] == nkp, js)
    st, js, _, _ = s.req("GET", "/search/default?limit=0&filter=gender:female")
    nf = js["total"]["value"] if st == 200 else -1
    st, js, _, _ = s.req("GET", "/search/default?limit=0&filter=nationality:kp&filter=gender:female")
    st2, js2, _, _ = s.req("GET",
                          "/search/default?limit=0&filter=nationality:kp&filter=gender:female&filter_op=AND")
    st3, js3, _, _ = s.req("GET", "/search/default?limit=500&filter=nationality:kp&filter=gender:female"
                                  "&filter_op=AND")
    check("filter OR: at least each side, at most their sum",
          st == 200 and max(nkp, nf) <= js["total"]["value"] <= nkp + nf, (nkp, nf, js))
    check("filter AND: results with both",
          st2 == 200 and st3 == 200 and js2["total"]["value"] <= min(nkp, nf) and
          all("kp" in r["properties"].get("nationality", []) and
              "female" in r["properties"].get("gender", []) for r in js3["results"]), js3)
    st, js, _, _ = s.req("GET", "/search/default?q=choe%20chun%20sik&filter=programId:KPi.013")
    check("filter with q: programId:KPi.013 keeps KPi.013 only",
          st == 200 and [r["id"] for r in js["results"]] == ["un-6908500"], js)
    st, js, _, _ = s.req("GET", "/search/default?limit=0&filter=nosuchprop:x")
    check("filter on a property nothing has: no result", st == 200 and js["total"]["value"] == 0, js)
    for bad in ("nationality", ":kp", "nationality:"):
        st, js, _, _ = s.req("GET", "/search/default?filter=" + bad)
        check("search: 400 Invalid filter for '%s'" % bad,
              st == 400 and js.get("detail") == "Invalid filter: '%s'" % bad, js)
    st, js, _, _ = s.req("GET", "/search/default?limit=0&topics=sanction&topics=crime&filter_op=AND")
    check("topics AND sanction+crime: nothing", st == 200 and js["total"]["value"] == 0, js)
    st, js, _, _ = s.req("GET", "/search/default?limit=0&topics=sanction&topics=crime")
    check("topics OR sanction,crime: everything", st == 200 and js["total"]["value"] == total, js)
    for bad, loc in (("facets=bogus", ["query", "facets", 0]),
                     ("facets=schema&facets=Countries", ["query", "facets", 1]),
                     ("facets=", ["query", "facets", 0]),
                     ("filter_op=XOR", ["query", "filter_op"])):
        st, js, _, _ = s.req("GET", "/search/default?" + bad)
        check("search: 422 for %s" % bad, st == 422 and isinstance(js["detail"], list) and
              js["detail"][0]["loc"] == loc and js["detail"][0]["type"] == "enum", js)
    st, js, _, _ = s.req("GET", "/search/nope?facets=schema")
    check("search with facets: 404 unknown dataset", st == 404 and js["detail"] == "No such dataset.", js)


def test_adjacent(s):
    for eid in ("un-6908500", "unsc-6908500", "KPi.013"):
        st, js, _, _ = s.req("GET", "/entities/%s/adjacent" % eid)
        check("adjacent %s: 200 {entity, adjacent: {}}" % eid,
              st == 200 and set(js) == {"entity", "adjacent"} and js["adjacent"] == {} and
              js["entity"]["id"] == "un-6908500" and js["entity"]["schema"] == "Person", js)
    st, js, _, _ = s.req("GET", "/entities/un-6908500/adjacent/sanctions")
    check("adjacent/sanctions: empty page in yente's shape",
          st == 200 and js == {"results": [], "total": {"value": 0, "relation": "eq"},
                               "limit": 10, "offset": 0}, js)
    st, js, _, _ = s.req("GET", "/entities/KPi.013/adjacent/familyPerson?limit=3&offset=2&sort=x")
    check("adjacent/familyPerson: limit and offset echoed",
          st == 200 and js["limit"] == 3 and js["offset"] == 2 and js["results"] == [], js)
    for eid, prop, want in (("un-6908500", "name", 404),            # not an entity property
                            ("un-6908500", "bankAccounts", 404),    # Organization only
                            ("un-6908500", "ownershipOwner", 200),  # LegalEntity
                            ("un-6908500", "associates", 200),      # Person
                            ("KPe.061", "ownershipOwner", 200),     # UN entity: LegalEntity
                            ("KPe.061", "associates", 404),
                            ("KPe.061", "directorshipOrganization", 404)):
        st, js, _, _ = s.req("GET", "/entities/%s/adjacent/%s" % (eid, prop))
        check("adjacent %s/%s: %d" % (eid, prop, want), st == want and
              (want == 200 or js["detail"] == "No such property!"), (st, js))
    for path in ("/entities/NK-nothing/adjacent", "/entities/NK-nothing/adjacent/sanctions"):
        st, js, _, _ = s.req("GET", path)
        check("adjacent: 404 unknown entity " + path,
              st == 404 and js["detail"] == "No such entity!", js)
    for q, name in (("limit=abc", "limit"), ("limit=501", "limit"), ("offset=9500", "offset"),
                    ("offset=-1", "offset")):
        st, js, _, _ = s.req("GET", "/entities/un-6908500/adjacent?" + q)
        check("adjacent: 422 for " + q, st == 422 and isinstance(js["detail"], list) and
              js["detail"][0]["loc"] == ["query", name], js)
    st, js, _, _ = s.req("GET", "/entities/NK-nothing/adjacent?limit=abc")
    check("adjacent: parameters validated before the lookup (422)", st == 422, (st, js))
    for path in ("/entities/un-6908500/adjacent/", "/entities/un-6908500/adjacent/a/b",
                 "/entities/un-6908500/adjacents"):
        st, js, _, _ = s.req("GET", path)
        check("adjacent: 404 no route " + path, st == 404 and js["detail"] == "Not Found", (st, js))
    st, js, _, _ = s.req("POST", "/entities/un-6908500/adjacent")
    check("adjacent: 405 POST", st == 405, st)


def test_adjacent_ftm(tmp):
    """An FtM list: Company serves as Organization (its own entity properties
    are valid), Person as Person. The file's Ownership, Family and
    Directorship records are not loaded, so nothing is adjacent."""
    ftm = os.path.join("data", "lists", "opensanctions", "entities.ftm.json")
    s = Server(tmp, "--list", ftm, "--no-access-log")
    try:
        for eid, prop, want in (("NK-nR5AXM9AVPq4pQaSPSaVam", "directorshipOrganization", 200),
                                ("NK-nR5AXM9AVPq4pQaSPSaVam", "ownershipOwner", 200),
                                ("NK-nR5AXM9AVPq4pQaSPSaVam", "familyPerson", 404),
                                ("NK-JseaPJctnK9o8wrmz8xmoT", "familyPerson", 200),
                                ("NK-JseaPJctnK9o8wrmz8xmoT", "employees", 404)):
            st, js, _, _ = s.req("GET", "/entities/%s/adjacent/%s" % (eid, prop))
            check("ftm adjacent %s/%s: %d" % (eid, prop, want), st == want and
                  (want == 404 or js["total"]["value"] == 0), (st, js))
        st, js, _, _ = s.req("GET", "/entities/NK-nR5AXM9AVPq4pQaSPSaVam/adjacent")
        check("ftm adjacent: Company as Organization, no links loaded",
              st == 200 and js["entity"]["schema"] == "Organization" and js["adjacent"] == {}, js)
        st, js, _, _ = s.req("GET", "/search/default?limit=0&facets=schema&facets=datasets")
        check("ftm facets: schema and dataset",
              st == 200 and sum(v["count"] for v in js["facets"]["schema"]["values"]) ==
              js["total"]["value"] > 0 and js["facets"]["datasets"]["values"][0]["count"] ==
              js["total"]["value"], js)
    finally:
        s.stop()


# ---- /openapi.json ----------------------------------------------------------

OPENAPI_PATHS = {"/match/{dataset}", "/search/{dataset}", "/entities/{entity_id}",
                 "/entities/{entity_id}/adjacent", "/entities/{entity_id}/adjacent/{property_name}",
                 "/catalog", "/manifest", "/algorithms", "/healthz", "/readyz", "/updatez",
                 "/metrics", "/openapi.json", "/"}


def resolve(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        node = doc
        for part in ref[2:].split("/"):
            node = node[part]
    return node


def conforms(doc, schema, value, where="$"):
    """Errors of value against an OpenAPI 3.0 schema subset (the one the
    document uses: $ref, allOf, oneOf, type, nullable, enum, required,
    properties, additionalProperties, items)."""
    schema = resolve(doc, schema)
    errs = []
    if value is None:
        return [] if schema.get("nullable") or not schema else [where + ": null"]
    for sub in schema.get("allOf", []):
        errs += conforms(doc, sub, value, where)
    if "oneOf" in schema and all(conforms(doc, sub, value, where) for sub in schema["oneOf"]):
        errs.append(where + ": matches no oneOf")
    t = schema.get("type")
    types = {"object": dict, "array": list, "string": str, "boolean": bool,
             "integer": int, "number": (int, float)}
    if t and (not isinstance(value, types[t]) or (t in ("integer", "number") and isinstance(value, bool))):
        return errs + ["%s: %r is not %s" % (where, value, t)]
    if "enum" in schema and value not in schema["enum"]:
        errs.append("%s: %r not in enum" % (where, value))
    if isinstance(value, dict):
        for k in schema.get("required", []):
            if k not in value:
                errs.append("%s: missing %s" % (where, k))
        props = schema.get("properties", {})
        for k, v in value.items():
            if k in props:
                errs += conforms(doc, props[k], v, where + "." + k)
            elif isinstance(schema.get("additionalProperties"), dict):
                errs += conforms(doc, schema["additionalProperties"], v, where + "." + k)
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value[:50]):
            errs += conforms(doc, schema["items"], v, "%s[%d]" % (where, i))
    return errs


def test_openapi(s):
    st, doc, r, raw = s.req("GET", "/openapi.json")
    check("openapi: 200 JSON", st == 200 and isinstance(doc, dict) and
          r.getheader("Content-Type") == "application/json", (st, raw[:200]))
    if not isinstance(doc, dict):
        return
    check("openapi: version 3", str(doc.get("openapi", "")).startswith("3.") and
          doc["info"]["title"] and doc["info"]["version"], doc.get("openapi"))
    check("openapi: the paths the server routes, no more, no fewer",
          set(doc["paths"]) == OPENAPI_PATHS, sorted(set(doc["paths"]) ^ OPENAPI_PATHS))
    refs = []

    def walk(n):
        if isinstance(n, dict):
            if "$ref" in n:
                refs.append(n["$ref"])
            for v in n.values():
                walk(v)
        elif isinstance(n, list):
            for v in n:
                walk(v)
    walk(doc)
    bad = []
    for ref in refs:
        try:
            resolve(doc, {"$ref": ref})
        except (KeyError, AssertionError):
            bad.append(ref)
    check("openapi: every $ref resolves (%d)" % len(refs), refs and not bad, bad)
    ops = 0
    for path, item in sorted(doc["paths"].items()):
        for method, op in item.items():
            ops += 1
            params = [resolve(doc, p) for p in op.get("parameters", [])]
            url = path
            for p in params:
                if p["in"] == "path":
                    check("openapi %s %s: path parameter {%s} has an example" % (method, path, p["name"]),
                          "example" in p, p)
                    url = url.replace("{%s}" % p["name"], str(p.get("example", "x")))
            check("openapi %s %s: every {parameter} described" % (method, path), "{" not in url, url)
            body = None
            rb = op.get("requestBody")
            if rb:
                body = resolve(doc, rb)["content"]["application/json"]["example"]
            st, js, resp, raw = s.req(method.upper(), url, body)
            listed = op.get("responses", {})
            check("openapi %s %s: answers %d, a status it lists" % (method.upper(), url, st),
                  str(st) in listed, (st, sorted(listed), raw[:200]))
            spec = resolve(doc, listed.get(str(st), {}))
            ctype = (resp.getheader("Content-Type") or "").split(";")[0]
            content = spec.get("content", {})
            check("openapi %s %s: content type %s listed" % (method.upper(), url, ctype),
                  not content or ctype in content, (ctype, list(content)))
            if ctype == "application/json" and ctype in content:
                errs = conforms(doc, content[ctype]["schema"], js)
                check("openapi %s %s: body conforms to its schema" % (method.upper(), url),
                      not errs, errs[:5])
            for h in spec.get("headers", {}):
                check("openapi %s %s: header %s sent" % (method.upper(), url, h),
                      resp.getheader(h) is not None, h)
    check("openapi: %d operations called" % ops, ops == len(OPENAPI_PATHS), ops)
    # error bodies conform too
    for method, url, body in (("GET", "/search/default?limit=x", None),
                              ("GET", "/search/nope", None),
                              ("POST", "/match/default", {"queries": {"a": {"properties": {}}}}),
                              ("GET", "/entities/un-6908500/adjacent/name", None)):
        st, js, _, _ = s.req(method, url, body)
        path = "/search/{dataset}" if url.startswith("/search") else \
            "/match/{dataset}" if url.startswith("/match") else "/entities/{entity_id}/adjacent/{property_name}"
        spec = resolve(doc, doc["paths"][path][method.lower()]["responses"].get(str(st), {}))
        errs = conforms(doc, spec["content"]["application/json"]["schema"], js) if spec else ["unlisted"]
        check("openapi: %s %s -> %d conforms" % (method, url, st), not errs, (st, errs, js))


def test_keepalive(s):
    c = s.conn()
    before = metric(s, "embargo_http_connections_total", conn=c)
    sock = c.sock
    st1, _, r1, _ = s.req("POST", "/match/default", {"queries": {"a": q_person("Choe Chun Sik")}}, conn=c)
    sock2 = c.sock
    st2, _, r2, _ = s.req("GET", "/healthz", conn=c)
    after = metric(s, "embargo_http_connections_total", conn=c)
    check("keep-alive: same socket", sock is not None and sock is sock2 and c.sock is sock)
    check("keep-alive: no Connection: close",
          (r1.getheader("Connection") or "").lower() != "close" and st1 == 200 and st2 == 200)
    check("keep-alive: no new connection", before is not None and after == before, (before, after))
    c.close()


def test_no_yield(tmp):
    """--no-yield (never yield the core between requests) serves the same
    answers; the default yields (see docs/SERVE.md)."""
    s = Server(tmp, "--list", UN_XML, "--no-access-log", "--no-yield")
    try:
        st, js, _, _ = s.req("POST", "/match/default", {"queries": {"a": q_person("Choe Chun Sik")}})
        check("--no-yield: /match answers",
              st == 200 and any("KPi.013" in json.dumps(r) for r in js["responses"]["a"]["results"]),
              (st, js))
    finally:
        check("--no-yield: SIGTERM exit 0", s.stop() == 0)


def test_load_and_reload(s, token):
    errors = []
    counts = [0]
    lock = threading.Lock()
    names = ["Choe Chun Sik", "Kim Jong Un", "Al-Qaida", "Ri Su Yong", "John Smith"]

    def client(i):
        try:
            c = s.conn()
            for k in range(15):
                st, js, _, _ = s.req("POST", "/match/default",
                                     {"queries": {"a": q_person(names[(i + k) % len(names)])}}, conn=c)
                if st != 200 or "responses" not in js:
                    errors.append((i, k, st))
                with lock:
                    counts[0] += 1
            c.close()
        except Exception as e:   # noqa: BLE001
            errors.append((i, repr(e)))

    reload_results = []

    def reloader():
        for _ in range(3):
            time.sleep(0.15)
            st, js, _, _ = s.req("POST", "/updatez?token=" + token)
            reload_results.append(st)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(64)]
    rt = threading.Thread(target=reloader)
    t0 = time.time()
    for t in threads:
        t.start()
    rt.start()
    for t in threads + [rt]:
        t.join(60)
    check("64 keep-alive clients: no failed request", not errors and counts[0] == 64 * 15,
          errors[:5])
    check("reload under load: 200", reload_results == [200, 200, 200], reload_results)
    print("     (%d requests in %.2f s)" % (counts[0], time.time() - t0))
    st, js, _, _ = s.req("POST", "/updatez?token=wrong")
    check("updatez: 403 bad token", st == 403 and js["detail"] == "Invalid token.", js)
    ok = metric(s, 'embargo_reloads_total{result="ok"}')
    check("metrics: reloads counted", ok == 3, ok)


def test_failed_reload(s, token, list_path):
    good = open(list_path, "rb").read()
    with open(list_path, "wb") as f:
        f.write(b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>broken")
    st, js, _, _ = s.req("POST", "/updatez?token=" + token)
    check("failed reload: 500", st == 500 and "previous" in js["detail"], js)
    st, js, _, _ = s.req("GET", "/readyz")
    check("failed reload: readyz reports it", st == 200 and js["last_load"]["status"] == "failed", js)
    st, js, _, _ = s.req("GET", "/catalog")
    check("failed reload: catalog reports it",
          js["datasets"][0]["last_load"]["status"] == "failed" and js["datasets"][0]["last_load"]["error"], js)
    st, js, _, _ = s.req("POST", "/match/default", {"queries": {"a": q_person("Choe Chun Sik")}})
    check("failed reload: old lists still serve", st == 200 and js["responses"]["a"]["results"])
    with open(list_path, "wb") as f:
        f.write(good)
    before = metric(s, 'embargo_reloads_total{result="ok"}')
    s.proc.send_signal(signal.SIGHUP)
    deadline = time.time() + 10
    while time.time() < deadline and metric(s, 'embargo_reloads_total{result="ok"}') == before:
        time.sleep(0.05)
    st, js, _, _ = s.req("GET", "/readyz")
    check("SIGHUP reload recovers", js["last_load"]["status"] == "ok", js)


def test_auth(tmp):
    key = os.path.join(tmp, "key")
    with open(key, "w") as f:
        f.write("s3cret-key\n")
    s = Server(tmp, "--api-key-file", key)
    try:
        st, _, _, _ = s.req("GET", "/healthz")
        check("auth: healthz open", st == 200)
        st, js, _, _ = s.req("GET", "/catalog")
        check("auth: 401 without key", st == 401, st)
        st, js, _, _ = s.req("GET", "/openapi.json")
        check("auth: /openapi.json needs the key too", st == 401, st)
        st, js, _, _ = s.req("GET", "/entities/un-6908500/adjacent",
                             headers={"Authorization": "Bearer s3cret-key"})
        check("auth: adjacent 200 with key", st == 200, st)
        st, js, _, _ = s.req("POST", "/match/default", {"queries": {"a": q_person("Choe Chun Sik")}},
                             headers={"Authorization": "Bearer wrong"})
        check("auth: 401 wrong key", st == 401, st)
        st, js, _, _ = s.req("POST", "/match/default", {"queries": {"a": q_person("Choe Chun Sik")}},
                             headers={"Authorization": "Bearer s3cret-key"})
        check("auth: 200 with key", st == 200, st)
    finally:
        rc = s.stop()
    log = open(s.err_path).read()
    check("auth: key never logged", "s3cret" not in log)
    check("auth: access log JSON lines", '"endpoint":"match"' in log and '"latency_us"' in log)
    check("auth server: SIGTERM exit 0", rc == 0, rc)


def test_sigterm_inflight(tmp):
    s = Server(tmp)
    done = []

    def slow():
        body = {"queries": {"q%d" % i: q_person("Kim Chol %d" % i) for i in range(100)}}
        st, _, _, _ = s.req("POST", "/match/default?cutoff=0.1&limit=500", body)
        done.append(st)

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.05)
    rc = s.stop()
    t.join(30)
    check("SIGTERM: graceful exit 0", rc == 0, rc)
    check("SIGTERM: in-flight request finished", done == [200], done)


UN_OLD_XML = os.path.join("data", "lists", "un", "2026-01-28", "un.xml")


def index_build(out, *lists):
    r = subprocess.run([BIN, "index", "build"] + list(lists) + ["-o", out],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return r.returncode, r.stderr


def index_info(path):
    r = subprocess.run([BIN, "index", "info", "--json", path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return json.loads(r.stdout) if r.returncode == 0 else None


def replace_file(path, data):
    """Write data beside path and rename it over path (as a deployment does)."""
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, path)


def middle_section_byte(b):
    """The first byte at or after the middle of a snapshot that a section
    holds (alignment padding between sections is never read, so not hashed).
    Header: magic[8], format u32, endian u32, 4 x u64, nsections u32 at 48;
    the section table (id u32, elem u32, off u64, count u64, hash u64) at 256."""
    nsec = struct.unpack_from("<I", b, 48)[0]
    spans = sorted((off, off + elem * count) for _, elem, off, count, _ in
                   (struct.unpack_from("<IIQQQ", b, 256 + 32 * i) for i in range(nsec)) if count)
    mid = len(b) // 2
    return next(max(mid, lo) for lo, hi in spans if hi > mid)


def un_dataset(s):
    st, js, _, _ = s.req("GET", "/catalog")
    if st != 200 or not js:
        return {}, {}
    by = {d["name"]: d for d in js["datasets"]}
    return by.get("un_sc_sanctions", {}), by.get("default", {})


def match_ids(s, name):
    st, js, _, _ = s.req("POST", "/match/default", {"queries": {"a": q_person(name)}})
    if st != 200 or not js:
        return None
    return [(x["id"], x["properties"].get("programId"), x["match"])
            for x in js["responses"]["a"]["results"]]


def test_index(tmp):
    """serve --index: a snapshot built by the binary, reloaded after it is
    rebuilt and renamed into place, and a corrupt replacement refused with
    the old set still serving."""
    d = os.path.join(tmp, "index")
    os.mkdir(d)
    snap = os.path.join(d, "lists.snap")
    token_file = os.path.join(d, "token")
    token = "tok-index-456"
    with open(token_file, "w") as f:
        f.write(token + "\n")

    # usage: a missing file, and --index with --list
    r = subprocess.run([BIN, "serve", "--port", "0", "--index", os.path.join(d, "missing.snap")],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=20)
    check("serve --index missing file: exit 1, names it",
          r.returncode == 1 and "missing.snap" in r.stderr and "cannot open" in r.stderr,
          (r.returncode, r.stderr))
    rc, err = index_build(snap, UN_OLD_XML)
    check("index build (UN 2026-01-28): exit 0", rc == 0 and os.path.getsize(snap) > 0, err)
    r = subprocess.run([BIN, "serve", "--port", "0", "--index", snap, "--list", UN_XML],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=20)
    check("serve --index with --list: refused", r.returncode in (1, 2) and
          "cannot be combined" in r.stderr, (r.returncode, r.stderr))

    old = index_info(snap)
    check("index info of the first snapshot", old and old["entities"] == 999 and
          len(old["content_hash"]) == 16, old)
    old_hash = old["content_hash"] if old else None
    s = Server(d, "--index", snap, "--update-token-file", token_file)
    try:
        un, default = un_dataset(s)
        check("index catalog: the UN list from the snapshot",
              un.get("entity_count") == 999 and (un.get("list_date") or "").startswith("2026-01-28")
              and un.get("last_load", {}).get("status") == "ok", un)
        check("index catalog: content_hash is the snapshot's",
              un.get("content_hash") == old_hash and default.get("content_hash") == old_hash,
              (un.get("content_hash"), default.get("content_hash"), old_hash))
        st, js, _, _ = s.req("GET", "/readyz")
        check("index readyz: ok, list_hash", st == 200 and js["status"] == "ok" and
              js["list_hash"] == old_hash and js["entities"] == 999, js)
        st, js, r, _ = s.req("POST", "/match/default",
                             {"queries": {"q1": q_person("Choe Chun Sik")}})
        res = js["responses"]["q1"]["results"] if st == 200 and js else []
        check("index match: Choe Chun Sik -> KPi.013 (un-6908500)",
              res and res[0]["id"] == "un-6908500" and
              res[0]["properties"].get("programId") == ["KPi.013"] and res[0]["match"] is True,
              res[:1])
        check("index match: list hash header", r.getheader("X-Embargo-List-Hash") == old_hash,
              r.getheader("X-Embargo-List-Hash"))
        st, js, _, _ = s.req("GET", "/entities/KPi.013")
        check("index entities: KPi.013", st == 200 and js["id"] == "un-6908500", js)
        # SDi.013 was added to the UN list after 2026-01-28: not there yet
        ids = match_ids(s, "Claudia Viviana Oliveros Forero")
        check("index match: entry of the newer list not in the first snapshot",
              ids is not None and not any(x[0] == "un-6909559" and x[2] for x in ids), ids)

        # rebuild from the newer list to a temporary name, rename over, reload
        rc, err = index_build(snap + ".new", UN_XML)
        os.rename(snap + ".new", snap)
        new = index_info(snap)
        new_hash = new["content_hash"] if new else None
        check("rebuilt snapshot: another content hash", rc == 0 and new_hash and
              new_hash != old_hash and new["entities"] == 1009, (err, new))
        errors = []

        def client(i):
            try:
                c = s.conn()
                for k in range(10):
                    st, js, _, _ = s.req("POST", "/match/default",
                                         {"queries": {"a": q_person("Choe Chun Sik")}}, conn=c)
                    if st != 200 or not js["responses"]["a"]["results"] or \
                            js["responses"]["a"]["results"][0]["id"] != "un-6908500":
                        errors.append((i, k, st))
                c.close()
            except Exception as e:   # noqa: BLE001
                errors.append((i, repr(e)))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        st, js, _, _ = s.req("POST", "/updatez?token=" + token)
        for t in threads:
            t.join(60)
        check("index reload after rebuild: 200", st == 200, js)
        check("index reload under load: every request answered", not errors, errors[:5])
        un, default = un_dataset(s)
        check("index reload: catalog shows the new snapshot",
              un.get("entity_count") == 1009 and un.get("content_hash") == new_hash and
              default.get("content_hash") == new_hash and
              (un.get("list_date") or "").startswith("2026-05-08") and
              un.get("last_load", {}).get("status") == "ok", un)
        ids = match_ids(s, "Claudia Viviana Oliveros Forero")
        check("index reload: the new entry is found",
              ids and ids[0][0] == "un-6909559" and ids[0][1] == ["SDi.013"] and ids[0][2], ids)
        ids = match_ids(s, "Choe Chun Sik")
        check("index reload: still finds KPi.013", ids and ids[0][0] == "un-6908500", ids)

        # corrupt replacements (renamed over the file): each reload fails and
        # the set loaded last keeps serving
        good = open(snap, "rb").read()
        flipped = bytearray(good)
        flipped[middle_section_byte(good)] ^= 0xFF
        version = bytearray(good)
        version[8:12] = (77).to_bytes(4, "little")
        for label, data, what in (("one byte flipped", bytes(flipped), "hash"),
                                  ("truncated", good[:len(good) // 3], "truncated"),
                                  ("format version 77", bytes(version), "format 77"),
                                  ("a list file, not a snapshot", open(UN_XML, "rb").read(),
                                   "not an embargo index snapshot")):
            replace_file(snap, data)
            st, js, _, _ = s.req("POST", "/updatez?token=" + token)
            check("index reload of a corrupt file (%s): 500" % label,
                  st == 500 and js and "previous" in js["detail"], (st, js))
            st, js, _, _ = s.req("GET", "/readyz")
            check("index failed reload (%s): readyz reports it" % label,
                  st == 200 and js["last_load"]["status"] == "failed" and
                  snap in (js["last_load"].get("error") or "") and
                  what in (js["last_load"].get("error") or "") and
                  js["list_hash"] == new_hash and js["entities"] == 1009, js)
            un, default = un_dataset(s)
            check("index failed reload (%s): catalog reports it, old set kept" % label,
                  un.get("last_load", {}).get("status") == "failed" and
                  un.get("content_hash") == new_hash and un.get("entity_count") == 1009, un)
            ids = match_ids(s, "Choe Chun Sik")
            check("index failed reload (%s): old set still serves" % label,
                  ids and ids[0][0] == "un-6908500", ids)
        ids = match_ids(s, "Claudia Viviana Oliveros Forero")
        check("index failed reloads: still the rebuilt set", ids and ids[0][0] == "un-6909559", ids)

        # a good file again: SIGHUP reloads it
        replace_file(snap, good)
        before = metric(s, 'embargo_reloads_total{result="ok"}')
        s.proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 10
        while time.time() < deadline and metric(s, 'embargo_reloads_total{result="ok"}') == before:
            time.sleep(0.05)
        st, js, _, _ = s.req("GET", "/readyz")
        check("index: SIGHUP reload of a good file recovers",
              js["last_load"]["status"] == "ok" and js["list_hash"] == new_hash, js)
        failed = metric(s, 'embargo_reloads_total{result="failed"}')
        check("index metrics: failed reloads counted", failed == 4, failed)
    finally:
        rc = s.stop()
    check("index server: SIGTERM exit 0", rc == 0, rc)


def main():
    if not os.path.exists(UN_XML):
        print("missing " + UN_XML + " (run from the source root)")
        return 1
    tmp = tempfile.mkdtemp(prefix="emb-serve-")
    try:
        list_path = os.path.join(tmp, "un.xml")
        shutil.copyfile(UN_XML, list_path)
        token = "tok-123"
        with open(os.path.join(tmp, "token"), "w") as f:
            f.write(token + "\n")
        s = Server(tmp, "--list", list_path, "--update-token-file", os.path.join(tmp, "token"),
                   "--access-log", os.path.join(tmp, "access.log"))
        try:
            test_match(s)
            test_match_errors(s)
            test_other(s)
            test_facets(s)
            test_adjacent(s)
            test_openapi(s)
            test_keepalive(s)
            test_load_and_reload(s, token)
            test_failed_reload(s, token, list_path)
        finally:
            rc = s.stop()
        check("SIGTERM: exit 0", rc == 0, rc)
        log = open(os.path.join(tmp, "access.log")).read().splitlines()
        check("access log: one JSON object per line",
              log and all(json.loads(x)["request_id"] for x in log), log[:2])
        check("access log: no token", not any(token in x for x in log))
        test_auth(tmp)
        test_sigterm_inflight(tmp)
        test_adjacent_ftm(tmp)
        test_no_yield(tmp)
        test_index(tmp)
    except Exception as e:   # noqa: BLE001
        import traceback
        traceback.print_exc()
        check("no exception", False, e)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (PASSED, FAILED))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
