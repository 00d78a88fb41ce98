//! Diesel schema, written once for both backends (see `migrations/sqlite` and
//! `migrations/postgres`, which must stay column for column in step with this file).

diesel::table! {
    prestadores (id) {
        id -> Text,
        nit -> Text,
        nombre -> Text,
        creado_en -> Timestamp,
    }
}

diesel::table! {
    usuarios (id) {
        id -> Text,
        prestador_id -> Text,
        email -> Text,
        nombre -> Text,
        rol -> Text,
        password_hash -> Text,
        activo -> Bool,
        version -> Integer,
        creado_en -> Timestamp,
    }
}

diesel::table! {
    pagadores (id) {
        id -> Text,
        prestador_id -> Text,
        nit -> Text,
        nombre -> Text,
        tipo -> Text,
        version -> Integer,
        creado_en -> Timestamp,
        actualizado_en -> Timestamp,
    }
}

diesel::table! {
    contratos (id) {
        id -> Text,
        prestador_id -> Text,
        pagador_id -> Text,
        numero -> Text,
        modalidad -> Text,
        fecha_inicio -> Date,
        fecha_fin -> Nullable<Date>,
        plazo_pago_dias -> Integer,
        valor -> Nullable<BigInt>,
        version -> Integer,
        creado_en -> Timestamp,
    }
}

diesel::table! {
    facturas (id) {
        id -> Text,
        prestador_id -> Text,
        pagador_id -> Text,
        contrato_id -> Nullable<Text>,
        numero -> Text,
        cufe -> Nullable<Text>,
        fecha_expedicion -> Date,
        valor_total -> BigInt,
        copagos -> BigInt,
        cuotas_moderadoras -> BigInt,
        estado -> Text,
        version -> Integer,
        creado_en -> Timestamp,
    }
}

diesel::table! {
    factura_items (id) {
        id -> Text,
        prestador_id -> Text,
        factura_id -> Text,
        linea -> Integer,
        codigo -> Text,
        descripcion -> Text,
        cantidad -> Text,
        valor_unitario -> BigInt,
        valor_total -> BigInt,
    }
}

diesel::table! {
    eventos (id) {
        id -> Text,
        prestador_id -> Text,
        factura_id -> Text,
        tipo -> Text,
        datos -> Text,
        actor_id -> Text,
        fecha -> Date,
        registrado_en -> Timestamp,
    }
}

diesel::joinable!(usuarios -> prestadores (prestador_id));
diesel::joinable!(contratos -> pagadores (pagador_id));
diesel::joinable!(facturas -> pagadores (pagador_id));
diesel::joinable!(factura_items -> facturas (factura_id));
diesel::joinable!(eventos -> facturas (factura_id));

diesel::allow_tables_to_appear_in_same_query!(
    prestadores,
    usuarios,
    pagadores,
    contratos,
    facturas,
    factura_items,
    eventos,
);
