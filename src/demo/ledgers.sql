-- The other ledgers of the demo district (synthetic): a few rows each, consistent with the
-- demo firms and parcels. $1: the demo user writing them.
WITH firms AS (
    SELECT uscc, location, row_number() OVER (ORDER BY id) AS n FROM enterprises WHERE name LIKE '示例%' AND location IS NOT NULL
)
INSERT INTO heavy_metal_firms (uscc, metals, electroplating, status, remediation_note, geom, created_by, updated_by)
SELECT uscc, CASE n % 3 WHEN 0 THEN '{cd,pb}'::heavy_metal[] WHEN 1 THEN '{cr,ni}'::heavy_metal[] ELSE '{as}'::heavy_metal[] END,
       n % 3 = 1, (ARRAY['not_started', 'investigating', 'remediating', 'done'])[1 + n % 4]::investigation_status,
       '示例：按计划开展排查整治', location, $1, $1
  FROM firms WHERE n <= 5;

INSERT INTO buried_tanks (owner, substance, capacity_m3, installed_on, anti_leak, last_inspection_failed, geom, created_by, updated_by)
SELECT '示例加油站' || n, (ARRAY['汽油', '柴油'])[1 + n % 2], 30 + 10 * n, make_date(2005 + n, 6, 1),
       CASE WHEN n % 2 = 0 THEN '{double_wall,leak_detection}'::anti_leak_measure[] ELSE '{anti_seepage_pit}'::anti_leak_measure[] END,
       n = 3, ST_SetSRID(ST_MakePoint(116.05 + 0.01 * n, 39.93 - 0.004 * n), 4490), $1, $1
  FROM generate_series(1, 4) AS n;
INSERT INTO tank_inspections (tank_id, inspected_on, inspector, finding, passed, recorded_by)
SELECT id, DATE '2023-05-20', '示例检查员', CASE WHEN last_inspection_failed THEN '渗漏检测报警（示例）' ELSE '未见异常（示例）' END,
       NOT last_inspection_failed, $1
  FROM buried_tanks WHERE owner LIKE '示例%';

INSERT INTO waste_storage_sites (operator, waste_type, safety_measures, issue_open, geom, area_m2, created_by, updated_by)
SELECT '示例矿业公司' || n, (ARRAY['煤矸石', '粉煤灰', '建筑废料'])[n], '围挡、苫盖、截排水沟（示例）', n = 2, g, ST_Area(g::geography), $1, $1
  FROM generate_series(1, 3) AS n,
       LATERAL (SELECT ST_Multi(ST_Expand(ST_SetSRID(ST_MakePoint(115.88 + 0.03 * n, 39.98), 4490), 0.002)) AS g) s;
INSERT INTO waste_patrols (site_id, patrolled_on, patroller, finding, issue_found, recorded_by)
SELECT id, DATE '2023-06-10', '示例巡查员', CASE WHEN issue_open THEN '苫盖破损（示例）' ELSE '措施完好（示例）' END, issue_open, $1
  FROM waste_storage_sites WHERE operator LIKE '示例%';

INSERT INTO new_projects (name, sector, baseline_survey_done_on, construction_started_on, baseline_missing, geom, created_by, updated_by)
VALUES ('示例集成电路项目', 'integrated_circuit', DATE '2023-02-01', DATE '2023-04-01', false,
        ST_SetSRID(ST_MakePoint(116.125, 39.905), 4490), $1, $1),
       ('示例显示面板项目', 'display_panel', NULL, DATE '2023-07-01', true,
        ST_SetSRID(ST_MakePoint(116.135, 39.915), 4490), $1, $1);

INSERT INTO farmland_plots (name, town, land_type, class, measures, geom, area_m2, created_by, updated_by)
SELECT '示例' || t.name_zh || '果园' || n, t.code, (ARRAY['orchard', 'dry', 'vegetable'])[1 + n % 3]::farmland_type,
       (ARRAY['priority_protection', 'safe_use', 'strict_control'])[1 + n % 3]::farmland_class,
       CASE WHEN n % 3 = 0 THEN NULL ELSE '低积累品种、石灰调酸（示例）' END, g, ST_Area(g::geography), $1, $1
  FROM (VALUES (1, '110109105'), (2, '110109105'), (3, '110109106'), (4, '110109108'), (5, '110109101'), (6, '110109104')) AS v (n, town)
  JOIN towns t ON t.code = v.town,
       LATERAL (SELECT ST_Multi(ST_Expand(ST_PointOnSurface(t.boundary), 0.0015)) AS g) s;

INSERT INTO unused_land_patrols (patrolled_on, patroller, town, finding, follow_up, geom, created_by, updated_by)
SELECT make_date(2023, 4 + n, 10), '示例镇街巡查员', t.code,
       CASE WHEN n = 2 THEN '发现建筑垃圾倾倒（示例）' ELSE '未发现异常（示例）' END,
       CASE WHEN n = 2 THEN '已责令清运（示例）' END, ST_PointOnSurface(t.boundary), $1, $1
  FROM (VALUES (1, '110109004'), (2, '110109005'), (3, '110109107')) AS v (n, town) JOIN towns t ON t.code = v.town
