-- A minimal host for the Rollups v1 machine protocol, to test the machine's own rollup server (tt-rollup-server):
-- it boots a machine from a config the CLI stored (--rollup --store-config), runs it to the initial finish, then
-- feeds each input (metadata and abi-encoded payload into their memory ranges, request type in fromhost), and writes
-- every output the machine yields and the hashes it left, one line each, to the output file.
-- Not the devnet's driver (issue 18): no snapshots, no rollback, no inspects.
--   lua5.4 rollup-driver.lua <config.lua> <inputs folder: N, input-<i>.bin, metadata-<i>.bin> <output file> <max mcycle>
local cartesi = require("cartesi")

local config = dofile(arg[1])
local inputs_dir, out_path, max_mcycle = arg[2], arg[3], math.tointeger(tonumber(arg[4]))
local machine = cartesi.machine(config)
local rollup = config.rollup
local out = assert(io.open(out_path, "w"))

local function hex(s)
    return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

local function padded(len)
    return (len + 31) // 32 * 32
end

local function read_file(path)
    local f = assert(io.open(path, "rb"))
    local s = f:read("a")
    f:close()
    return s
end

-- runs to the next manual yield, recording the automatic ones (outputs); returns false at a halt or the limit
local function run_to_manual_yield()
    while true do
        machine:run(max_mcycle)
        if machine:read_iflags_H() then return false, "halted" end
        if machine:read_iflags_Y() then return true end
        if not machine:read_iflags_X() then return false, "cycle limit" end
        local reason = machine:read_htif_tohost_data() >> 32
        local tx = rollup.tx_buffer.start
        if reason == cartesi.machine.HTIF_YIELD_REASON_TX_VOUCHER then
            local len = string.unpack(">I8", machine:read_memory(tx + 3 * 32 - 8, 8))
            out:write("voucher ", hex(machine:read_memory(tx, 3 * 32 + padded(len))), "\n")
        elseif reason == cartesi.machine.HTIF_YIELD_REASON_TX_NOTICE or reason == cartesi.machine.HTIF_YIELD_REASON_TX_REPORT then
            local len = string.unpack(">I8", machine:read_memory(tx + 2 * 32 - 8, 8))
            local kind = reason == cartesi.machine.HTIF_YIELD_REASON_TX_NOTICE and "notice " or "report "
            out:write(kind, hex(machine:read_memory(tx, 2 * 32 + padded(len))), "\n")
        end
        machine:reset_iflags_X()
    end
end

local function hashes(range, kind)
    for k = 0, range.length // 32 - 1 do
        local h = machine:read_memory(range.start + 32 * k, 32)
        if h == string.rep("\0", 32) then return end
        out:write(kind, " ", hex(h), "\n")
    end
end

local ok, why = run_to_manual_yield()
if not ok then error("the machine did not reach its first finish: " .. why) end
out:write("ready ", machine:read_mcycle(), "\n")
local count = math.tointeger(tonumber(read_file(inputs_dir .. "/N")))
for i = 0, count - 1 do
    for _, name in ipairs({ "input_metadata", "rx_buffer", "voucher_hashes", "notice_hashes" }) do
        machine:replace_memory_range(rollup[name]) -- zeroed
    end
    machine:write_memory(rollup.input_metadata.start, read_file(string.format("%s/metadata-%d.bin", inputs_dir, i)))
    machine:write_memory(rollup.rx_buffer.start, read_file(string.format("%s/input-%d.bin", inputs_dir, i)))
    machine:reset_iflags_Y()
    machine:write_htif_fromhost_data(0) -- an advance
    ok, why = run_to_manual_yield()
    if not ok then error(string.format("input %d: the machine stopped without finishing it: %s", i, why)) end
    local reason = machine:read_htif_tohost_data() >> 32
    out:write("finish ", i, " ", reason, "\n")
    if reason == cartesi.machine.HTIF_YIELD_REASON_RX_ACCEPTED then
        hashes(rollup.voucher_hashes, "voucher-hash")
        hashes(rollup.notice_hashes, "notice-hash")
    end
end
out:write("cycles ", machine:read_mcycle(), "\n")
out:close()
