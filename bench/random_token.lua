-- wrk script of the bad-token rows: every request carries a fresh random 40-hex token, so no
-- cache can answer it from an earlier request (each one misses and costs a database read).
local digits = "0123456789abcdef"

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  local key = {}
  for i = 1, 40 do
    local d = math.random(1, 16)
    key[i] = digits:sub(d, d)
  end
  return wrk.format(nil, nil, { ["Authorization"] = "Token " .. table.concat(key) })
end
