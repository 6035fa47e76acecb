-- wrk: GET /v1/licences/{id} (a recorded pull).
-- Arguments: TOKEN ID            one licence, every request
--            TOKEN - FIRST COUNT  random ones of those bench_load wrote
local dir = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(dir .. "ident.lua")

local token, fixed, first, count
local query = "?purpose=bench&matter=M1"

function init(args)
	token = args[1]
	if args[2] ~= "-" then
		fixed = "/v1/licences/" .. args[2] .. query
	else
		first = tonumber(args[3])
		count = tonumber(args[4])
	end
	math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16))
end

function request()
	local path = fixed
	if path == nil then
		local n = first + math.random(0, count - 1)
		path = "/v1/licences/" .. licence_id(string.format("B%09d", n)) ..
		    query
	end
	return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
