-- bench/http_match.lua - wrk script for bench/http_bench.sh.
-- Default mode: every request is POST /match/default with ONE query (yente
-- EntityExample), rotating over the names below (UN list positives from
-- tests/data/bench/positives_un_treated.csv, some with birth date and
-- nationality, plus names that are on no list, as most screening traffic is).
-- `wrk ... -s http_match.lua -- healthz` sends GET /healthz instead (baseline).
-- done() prints one line "WRKSTAT {json}" that http_bench.sh parses.

local queries = {
  {"Person", "KHAWLA BARZAN IBRAHIM HASAN AL-TIKRITI", "1986-12-03", "iq"},
  {"Thing",  "IBRAHIM 'ISA HAJJI MUHAMMAD AL-BAKR", nil, nil},
  {"Person", "IBRAHIM SULEIMAN HAMAD AL-HABLAIN", "1984-12-17", "sa"},
  {"Thing",  "SYLVESTRE UMDACUMURA", "1954", nil},
  {"Person", "DJAMEL LOUNICI", "1962-02-01", "dz"},
  {"Thing",  "Maria Fernanda Gonzalez", nil, nil},
  {"Thing",  "ABD AL-KHALIQ AL-HOUTHI", "1985", "ye"},
  {"Person", "ABDUL JABBAR OMARI", "1958", "af"},
  {"Thing",  "BARAKZAI KHUDAI NAZAR, KHAIRULLAH", nil, nil},
  {"Thing",  "Choe Chun Sik", nil, nil},
  {"Person", "John Michael Smith", "1971", "gb"},
  {"Thing",  "SAIF AL-ARAB QADHAAFI", "1982", nil},
  {"Person", "PAEK CHANG-HO", "1964-06-18", "kp"},
  {"Organization", "Korea Achim Shipping Co", nil, nil},
  {"Person", "MOHAMED LAKAHL", "1970-02-05", "tn"},
  {"Thing",  "JOSEPH KONY", "1959", "ug"},
}

local function jstr(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

local function body(q)
  local props = '"name":[' .. jstr(q[2]) .. ']'
  if q[3] then props = props .. ',"birthDate":[' .. jstr(q[3]) .. ']' end
  if q[4] then props = props .. ',"country":[' .. jstr(q[4]) .. ']' end
  return '{"queries":{"q":{"schema":' .. jstr(q[1]) .. ',"properties":{' .. props .. '}}}}'
end

local reqs = {}
local n = 0
local idx = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  local hdr = {}
  if os.getenv("EMB_BENCH_KEY") then hdr["Authorization"] = "Bearer " .. os.getenv("EMB_BENCH_KEY") end
  if args[1] == "healthz" then
    reqs[1] = wrk.format("GET", "/healthz", hdr)
  else
    hdr["Content-Type"] = "application/json"
    for i, q in ipairs(queries) do
      reqs[i] = wrk.format("POST", "/match/default", hdr, body(q))
    end
  end
  n = #reqs
  idx = (id or 0) % n
end

function request()
  idx = idx % n + 1
  return reqs[idx]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKSTAT {"requests":%d,"duration_us":%d,"rps":%.1f,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"timeout":%d,"non2xx":%d}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end
