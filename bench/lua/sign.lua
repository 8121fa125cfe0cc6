-- Sign one petition with a unique address per request: BENCH_RUN-thread-counter@example.org.
-- A 303 (to "check your email") is an accepted signature.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
dofile(os.getenv("BENCH_LUA_DIR") .. "/form.lua")
local sign_path = os.getenv("BENCH_SIGN_PATH")
local run = os.getenv("BENCH_RUN")
local n = 0

function request()
  if not token then return form_request() end
  n = n + 1
  return post(sign_path, "name=Bench+Ondertekenaar&email=" .. run .. "-" .. id .. "-" .. n ..
    "%40example.org&postcode=3511+AB&country=NL&consent=y")
end

function response(status, headers, body)
  if form_response(status, headers, body) then return end
  if status == 303 then ok = ok + 1 else note_bad(status) end
end
