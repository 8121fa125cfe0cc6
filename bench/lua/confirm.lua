-- Confirm seeded pending signatures: thread t confirms tokens BENCH_RUN-t-1 .. BENCH_RUN-t-BENCH_PER_THREAD.
-- A 303 (to "thanks") is a confirmation. When a thread runs out it pings instead (counted as exhausted).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
dofile(os.getenv("BENCH_LUA_DIR") .. "/form.lua")
local run = os.getenv("BENCH_RUN")
local per_thread = tonumber(os.getenv("BENCH_PER_THREAD"))
local n = 0

function request()
  if not token then return form_request() end
  if n >= per_thread then return wrk.format("GET", "/healthz/ping") end
  n = n + 1
  return post("/signatures/confirm/" .. run .. "-" .. id .. "-" .. n, "")
end

function response(status, headers, body)
  if form_response(status, headers, body) then return end
  if n >= per_thread and status == 200 then exhausted = exhausted + 1 return end
  if status == 303 then ok = ok + 1 else note_bad(status) end
end
