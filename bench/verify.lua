-- wrk: POST /v1/verify of one QR text.  Argument: BODY-FILE
-- ({"qr_text": "LC1:..."}).
local body

function init(args)
	local f = assert(io.open(args[1], "rb"))
	body = f:read("*a")
	f:close()
end

function request()
	return wrk.format("POST", "/v1/verify",
	    { ["Content-Type"] = "application/json" }, body)
end
