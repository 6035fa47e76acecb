-- wrk: POST /v1/licences, each request a new identifier.
-- Arguments: TOKEN LICENCE-JSON-FILE (its "identifier" is replaced).
local dir = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(dir .. "ident.lua")

local threads = 0

function setup(thread)
	threads = threads + 1
	thread:set("tid", threads)
end

local token, template, n = nil, nil, 0

function init(args)
	token = args[1]
	local f = assert(io.open(args[2], "rb"))
	template = f:read("*a")
	f:close()
	-- Runs of this script in one store must not collide.
	run = tostring(os.time() % 100000)
end

function request()
	n = n + 1
	local serial = string.format("W%s%02d%08d", run, tid, n)
	local body = template:gsub("\"identifier\"%s*:%s*\"[^\"]*\"",
	    "\"identifier\": \"" .. licence_id(serial) .. "\"", 1)
	return wrk.format("POST", "/v1/licences", {
		["Authorization"] = "Bearer " .. token,
		["Content-Type"] = "application/json"
	}, body)
end
