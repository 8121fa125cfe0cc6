-- Shared by every bench script: per-thread ids and counters, a wall clock, and one JSON line at the end.
-- wrk runs one Lua state per thread (plus one for setup/done); counters live in the thread states.
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

ok, bad, prep, exhausted = 0, 0, 0, 0
statuses = ""  -- "code:n,code:n" of the unexpected answers, first few only

function note_bad(status)
  bad = bad + 1
  if #statuses < 200 then statuses = statuses .. tostring(status) .. " " end
end

local has_ffi, ffi = pcall(require, "ffi")
if has_ffi then
  pcall(ffi.cdef, "typedef struct { long tv_sec; long tv_nsec; } bench_timespec; int clock_gettime(int, bench_timespec *);")
  local ts = ffi.new("bench_timespec")
  function now_ms()
    ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
else
  function now_ms() return os.time() * 1000 end
end

-- An optional steady rate per thread (BENCH_RATE requests a second, 0 = as fast as possible).
local rate = tonumber(os.getenv("BENCH_RATE") or "0")
local started, sent = nil, 0
if rate > 0 then
  function delay()
    if not started then started = now_ms() end
    sent = sent + 1
    local wait = started + sent * 1000 / rate - now_ms()
    if wait > 0 then return math.floor(wait) end
    return 0
  end
end

function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function done(summary, latency, requests)
  local t_ok, t_bad, t_prep, t_exhausted, codes = 0, 0, 0, 0, ""
  for _, thread in ipairs(threads) do
    t_ok = t_ok + (thread:get("ok") or 0)
    t_bad = t_bad + (thread:get("bad") or 0)
    t_prep = t_prep + (thread:get("prep") or 0)
    t_exhausted = t_exhausted + (thread:get("exhausted") or 0)
    codes = codes .. (thread:get("statuses") or "")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"ok":%d,"bad":%d,"prep":%d,"exhausted":%d,' ..
    '"bad_statuses":"%s","errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p95":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes, t_ok, t_bad, t_prep, t_exhausted, codes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max))
end
