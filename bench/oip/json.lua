-- wrk: POST the Open Inference Protocol JSON request in $BODY, as curl following the spec sends it.
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
