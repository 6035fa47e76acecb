-- Licence identifiers for the wrk scripts: GB/T 36904 layout with the
-- ISO/IEC 7064 MOD 37,36 check character (sealkit/lib/ident.c).
local A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
local TYPE = "11990000000000107Q001"
local ISSUER = "11990100000000019F"

local function check_char(s)
	local p = 36
	for i = 1, #s do
		local v = A:find(s:sub(i, i), 1, true) - 1
		local t = (p + v) % 36
		if t == 0 then t = 36 end
		p = (2 * t) % 37
	end
	local c = (37 - p) % 36
	return A:sub(c + 1, c + 1)
end

function licence_id(serial)
	return "1.2.156.3005.2." .. TYPE .. "." .. ISSUER .. "." .. serial ..
	    ".001." .. check_char(TYPE .. ISSUER .. serial .. "001")
end
