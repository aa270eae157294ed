-- Random bbox windows over the eastern valley towns, where most parcels lie.
math.randomseed(42)
request = function()
  local x = 116.00 + math.random() * 0.11
  local y = 39.86 + math.random() * 0.12
  return wrk.format("GET", string.format(
    "/api/parcels?bbox=%.5f,%.5f,%.5f,%.5f&limit=500", x, y, x + 0.014, y + 0.009))
end
