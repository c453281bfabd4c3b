SELECT coalesce("httprequest".clientip, '-') AS "clientIp", count(*) AS "requests"
FROM "waf_logs"
WHERE "log_time" >= '2025/11/30/23/55' AND "log_time" <= '2025/12/02/00/05' AND "timestamp" >= 1764547200000 AND "timestamp" < 1764633600000
GROUP BY 1
ORDER BY "requests" DESC, "clientIp" ASC
LIMIT 100
