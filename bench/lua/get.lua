-- GET one path (BENCH_PATH) over and over; 200 and 304 are answers, anything else is an error.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local path = os.getenv("BENCH_PATH")

function request()
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status == 200 or status == 304 then ok = ok + 1 else note_bad(status) end
end
