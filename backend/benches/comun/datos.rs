//! A large cartera generated in SQL, shared by the benchmarks that need one.

/// The data, written once for both backends: `serie` is a table `s(n)` of 1..=N, `dia(x)` a
/// date x days after 2024-01-01. (ANALYZE keeps the planner's statistics current, as a running
/// server's autovacuum would.)
pub fn cartera(sqlite: bool, n: u64, prestador: &str) -> String {
    let serie = if sqlite {
        format!("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {n})")
    } else {
        format!("WITH s(n) AS (SELECT generate_series(1, {n}))")
    };
    let dia = |x: &str| {
        if sqlite {
            format!("date('2024-01-01', '+' || ({x}) || ' days')")
        } else {
            format!("(DATE '2024-01-01' + ({x})::int)")
        }
    };
    let ahora = "'2026-06-30 12:00:00'";
    let exp = dia("n % 900");
    let rad = dia("n % 900 + 5");
    let vence = dia("n % 900 + 50");
    let pago = dia("n % 900 + 40");
    let limite_resp = dia("n % 900 + 30");
    let recibida = dia("n % 900 + 10");
    format!(
        "INSERT INTO pagadores (id, prestador_id, nit, nombre, tipo, version, creado_en, actualizado_en)
           {serie} SELECT 'p' || n, '{prestador}', CAST(800000000 + n AS TEXT), 'Pagador ' || n,
                   CASE WHEN n % 5 = 0 THEN 'adres' ELSE 'eps_contributivo' END, 1, {ahora}, {ahora}
           FROM s WHERE n <= 20;
         INSERT INTO facturas (id, prestador_id, pagador_id, numero, fecha_expedicion, valor_total, copagos,
                 cuotas_moderadoras, estado, version, creado_en, numero_radicado, fecha_radicacion,
                 fecha_limite_pago, saldo, en_discusion)
           {serie} SELECT 'f' || n, '{prestador}', 'p' || (n % 20 + 1), 'FE-' || n, {exp}, 100000 + (n % 97) * 10000,
                   0, 0, CASE WHEN n % 10 = 0 THEN 'expedida' ELSE 'radicada' END, 1, {ahora},
                   CASE WHEN n % 10 = 0 THEN NULL ELSE 'R-' || n END,
                   CASE WHEN n % 10 = 0 THEN NULL ELSE {rad} END,
                   CASE WHEN n % 10 = 0 THEN NULL ELSE {vence} END,
                   100000 + (n % 97) * 10000, 0
           FROM s;
         INSERT INTO radicaciones (id, prestador_id, factura_id, numero_radicado, fecha, creado_en)
           {serie} SELECT 'r' || n, '{prestador}', 'f' || n, 'R-' || n, {rad}, {ahora} FROM s WHERE n % 10 <> 0;
         INSERT INTO movimientos (id, prestador_id, factura_id, tipo, valor, fecha, creado_en)
           {serie} SELECT 'mc' || n, '{prestador}', 'f' || n, 'cargo', 100000 + (n % 97) * 10000, {exp}, {ahora} FROM s;
         INSERT INTO movimientos (id, prestador_id, factura_id, tipo, valor, fecha, creado_en)
           {serie} SELECT 'mp' || n, '{prestador}', 'f' || n, 'pago', -50000, {pago}, {ahora}
           FROM s WHERE n % 3 = 0 AND n % 10 <> 0;
         INSERT INTO glosas (id, prestador_id, factura_id, codigo, valor, fecha_formulacion, fecha_recepcion,
                 fecha_limite_respuesta, extemporanea, observacion, estado, version, creado_en)
           {serie} SELECT 'g' || n, '{prestador}', 'f' || n, '101', 20000, {recibida}, {recibida}, {limite_resp},
                   false, '', 'formulada', 1, {ahora}
           FROM s WHERE n % 20 = 1;
         ANALYZE;"
    )
}

/// About five events per invoice of [`cartera`], recorded by `actor` (the trazabilidad's history
/// at hospital scale: 4,900,000 for a million invoices): expedida, radicada, the payer's RADIAN
/// acuse de recibo and recibo del servicio, and a gestión de cobro (the invoices never radicated
/// have no radicada).
#[allow(dead_code)] // the aging bench has no use for the history
pub fn eventos(sqlite: bool, n: u64, prestador: &str, actor: &str) -> String {
    let serie = if sqlite {
        format!("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {n})")
    } else {
        format!("WITH s(n) AS (SELECT generate_series(1, {n}))")
    };
    let (dia, momento) = if sqlite {
        (
            "date('2024-01-01', '+' || (n % 900 + k.d) || ' days')",
            "datetime('2024-01-01 14:00:00', '+' || (n % 900 + k.d) || ' days')",
        )
    } else {
        (
            "(DATE '2024-01-01' + (n % 900 + k.d)::int)",
            "(TIMESTAMP '2024-01-01 14:00:00' + (n % 900 + k.d) * INTERVAL '1 day')",
        )
    };
    let saldo = "'{\"saldo\": \"' || (100000 + (n % 97) * 10000) || '.00\", \"en_discusion\": \"0.00\"'";
    format!(
        "INSERT INTO eventos (id, prestador_id, factura_id, tipo, datos, actor_id, fecha, registrado_en)
           {serie} SELECT 'e' || k.d || '-' || n, '{prestador}', 'f' || n, k.tipo,
                   {saldo} || CASE k.tipo
                     WHEN 'radicada' THEN ', \"numero_radicado\": \"R-' || n || '\"}}'
                     WHEN 'radian_acuse_recibo' THEN ', \"codigo\": \"030\", \"numero\": \"AR-' || n || '\"}}'
                     WHEN 'radian_recibo_servicio' THEN ', \"codigo\": \"032\", \"numero\": \"RS-' || n || '\"}}'
                     WHEN 'gestion_cobro' THEN ', \"canal\": \"correo\", \"nota\": \"Se envió el estado de cuenta\"}}'
                     ELSE '}}' END,
                   '{actor}', {dia}, {momento}
           FROM s, (SELECT 0 AS d, 'expedida' AS tipo UNION ALL SELECT 5, 'radicada'
                    UNION ALL SELECT 7, 'radian_acuse_recibo' UNION ALL SELECT 9, 'radian_recibo_servicio'
                    UNION ALL SELECT 60, 'gestion_cobro') AS k
           WHERE k.tipo <> 'radicada' OR n % 10 <> 0;
         ANALYZE;"
    )
}
