-- Browser-like CSRF: before its first POST a thread loads BENCH_FORM_PATH, keeps the session cookie and
-- the csrf_token of the form, and sends both with every POST (one connection per thread keeps order).
cookie, token, awaiting_form = nil, nil, false

function form_request()
  awaiting_form = true
  return wrk.format("GET", os.getenv("BENCH_FORM_PATH"))
end

function post(path, body, extra)
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
  }
  for name, value in pairs(extra or {}) do headers[name] = value end
  return wrk.format("POST", path, headers, "csrf_token=" .. urlencode(token) .. "&" .. body)
end

-- Returns true when this response was the form (and handled here).
function form_response(status, headers, body)
  if not awaiting_form then return false end
  awaiting_form = false
  prep = prep + 1
  local set_cookie = headers["Set-Cookie"] or headers["set-cookie"] or ""
  local session = set_cookie:match("(session=[^;]+)")
  local found = body:match('name="csrf_token"[^>]-value="([^"]+)"')
  if status == 200 and session and found then
    cookie, token = session, found
  else
    note_bad(status)
  end
  return true
end
