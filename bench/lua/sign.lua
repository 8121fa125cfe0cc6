-- Sign one petition with a unique address per request: BENCH_RUN-thread-counter@example.org.
-- A 303 (to "check your email") is an accepted signature.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
dofile(os.getenv("BENCH_LUA_DIR") .. "/form.lua")
local sign_path = os.getenv("BENCH_SIGN_PATH")
local run = os.getenv("BENCH_RUN")
local domain = os.getenv("BENCH_DOMAIN") or "example.org"
-- With rate limiting on, each request comes from its own address (X-Forwarded-For, PROXY_COUNT=1),
-- as supporters do on a viral day; without it the per-address limit would answer 429.
local forwarded = os.getenv("BENCH_FORWARDED") == "1"
local n = 0

function request()
  if not token then return form_request() end
  n = n + 1
  local headers = nil
  if forwarded then
    headers = {["X-Forwarded-For"] = string.format("10.%d.%d.%d", id % 256, math.floor(n / 256) % 256, n % 256)}
  end
  return post(sign_path, "name=Bench+Ondertekenaar&email=" .. run .. "-" .. id .. "-" .. n ..
    "%40" .. domain .. "&postcode=3511+AB&country=NL&consent=y", headers)
end

function response(status, headers, body)
  if form_response(status, headers, body) then return end
  if status == 303 then ok = ok + 1 else note_bad(status) end
end
