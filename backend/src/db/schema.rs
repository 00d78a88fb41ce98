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
        pagador_id -> Nullable<Text>,
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
        numero_radicado -> Nullable<Text>,
        fecha_radicacion -> Nullable<Date>,
        fecha_limite_radicacion -> Nullable<Date>,
        fecha_limite_glosa -> Nullable<Date>,
        fecha_limite_pago -> Nullable<Date>,
        saldo -> BigInt,
        en_discusion -> BigInt,
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
        impuestos -> BigInt,
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

diesel::table! {
    radicaciones (id) {
        id -> Text,
        prestador_id -> Text,
        factura_id -> Text,
        numero_radicado -> Text,
        fecha -> Date,
        creado_en -> Timestamp,
    }
}

diesel::table! {
    devoluciones (id) {
        id -> Text,
        prestador_id -> Text,
        factura_id -> Text,
        radicacion_id -> Text,
        codigo -> Text,
        fecha -> Date,
        observacion -> Text,
        extemporanea -> Bool,
        creado_en -> Timestamp,
        respuesta_codigo -> Nullable<Text>,
        respuesta_fecha -> Nullable<Date>,
        respuesta_justificacion -> Nullable<Text>,
        decision -> Nullable<Text>,
        decision_fecha -> Nullable<Date>,
        version -> Integer,
    }
}

diesel::table! {
    glosas (id) {
        id -> Text,
        prestador_id -> Text,
        factura_id -> Text,
        item_linea -> Nullable<Integer>,
        codigo -> Text,
        valor -> BigInt,
        fecha_formulacion -> Date,
        fecha_recepcion -> Date,
        fecha_limite_respuesta -> Date,
        extemporanea -> Bool,
        observacion -> Text,
        estado -> Text,
        respuesta_codigo -> Nullable<Text>,
        valor_aceptado -> BigInt,
        valor_sustentado -> BigInt,
        justificacion -> Nullable<Text>,
        fecha_respuesta -> Nullable<Date>,
        respuesta_extemporanea -> Bool,
        fecha_limite_decision -> Nullable<Date>,
        resultado_decision -> Nullable<Text>,
        valor_levantado -> BigInt,
        fecha_decision -> Nullable<Date>,
        valor_conciliado_prestador -> BigInt,
        valor_conciliado_pagador -> BigInt,
        acta_conciliacion -> Nullable<Text>,
        fecha_conciliacion -> Nullable<Date>,
        version -> Integer,
        creado_en -> Timestamp,
    }
}

diesel::table! {
    pagos (id) {
        id -> Text,
        prestador_id -> Text,
        pagador_id -> Text,
        fecha -> Date,
        valor -> BigInt,
        valor_aplicado -> BigInt,
        referencia -> Text,
        medio -> Text,
        version -> Integer,
        creado_en -> Timestamp,
        pagado_por_id -> Nullable<Text>,
    }
}

diesel::table! {
    aplicaciones (id) {
        id -> Text,
        prestador_id -> Text,
        pago_id -> Text,
        factura_id -> Text,
        valor -> BigInt,
        fecha -> Date,
        creado_en -> Timestamp,
        recuperacion -> Bool,
    }
}

diesel::table! {
    notas (id) {
        id -> Text,
        prestador_id -> Text,
        factura_id -> Text,
        numero -> Text,
        cude -> Nullable<Text>,
        valor -> BigInt,
        fecha -> Date,
        motivo -> Text,
        anulacion -> Bool,
        creado_en -> Timestamp,
        tipo -> Text,
    }
}

diesel::table! {
    movimientos (id) {
        id -> Text,
        prestador_id -> Text,
        factura_id -> Text,
        tipo -> Text,
        valor -> BigInt,
        fecha -> Date,
        creado_en -> Timestamp,
        origen -> Text,
        origen_id -> Nullable<Text>,
        documento -> Text,
    }
}

diesel::table! {
    importaciones (id) {
        id -> Text,
        prestador_id -> Text,
        tipo -> Text,
        perfil -> Nullable<Text>,
        archivo -> Text,
        simulada -> Bool,
        estado -> Text,
        total -> Integer,
        procesados -> Integer,
        creados -> Integer,
        duplicados -> Integer,
        errores -> Text,
        actor_id -> Text,
        creado_en -> Timestamp,
        terminado_en -> Nullable<Timestamp>,
        aceptadas_tacitamente -> Text,
        servidor_id -> Nullable<Text>,
    }
}

diesel::table! {
    sesiones (id) {
        id -> Text,
        usuario_id -> Text,
        csrf -> Text,
        creada_en -> Timestamp,
        expira_en -> Timestamp,
        cerrada_en -> Nullable<Timestamp>,
    }
}

diesel::table! {
    importacion_subidas (importacion_id) {
        importacion_id -> Text,
        nombre -> Text,
        contenido -> Binary,
    }
}

diesel::table! {
    archivos_importados (id) {
        id -> Text,
        prestador_id -> Text,
        importacion_id -> Text,
        tipo -> Text,
        nombre -> Text,
        hash -> Text,
        creado_en -> Timestamp,
    }
}

diesel::table! {
    rips (id) {
        id -> Text,
        prestador_id -> Text,
        factura_id -> Text,
        formato -> Text,
        usuarios -> Integer,
        servicios -> Integer,
        valor_servicios -> BigInt,
        hash -> Text,
        creado_en -> Timestamp,
        tipo_nota -> Nullable<Text>,
        num_nota -> Nullable<Text>,
        cuv -> Nullable<Text>,
        cuv_registrado_en -> Nullable<Timestamp>,
        tipos_servicio -> Text,
    }
}

diesel::table! {
    cobro_pagadores (pagador_id) {
        pagador_id -> Text,
        prestador_id -> Text,
        etapa -> Text,
        email_contacto -> Nullable<Text>,
        responsable_id -> Nullable<Text>,
        version -> Integer,
        actualizado_en -> Timestamp,
    }
}

diesel::table! {
    etapas (id) {
        id -> Text,
        prestador_id -> Text,
        pagador_id -> Text,
        etapa -> Text,
        anterior -> Text,
        origen -> Text,
        motivo -> Text,
        fecha -> Date,
        actor_id -> Text,
        registrado_en -> Timestamp,
    }
}

diesel::table! {
    gestiones (id) {
        id -> Text,
        prestador_id -> Text,
        pagador_id -> Text,
        tipo -> Text,
        fecha -> Date,
        contacto -> Text,
        resultado -> Text,
        compromiso -> Text,
        proximo_paso -> Text,
        fecha_proximo_paso -> Nullable<Date>,
        actor_id -> Text,
        registrado_en -> Timestamp,
        automatica -> Bool,
    }
}

diesel::table! {
    gestion_facturas (gestion_id, factura_id) {
        gestion_id -> Text,
        factura_id -> Text,
        prestador_id -> Text,
    }
}

diesel::table! {
    acuerdos_pago (id) {
        id -> Text,
        prestador_id -> Text,
        pagador_id -> Text,
        numero -> Text,
        fecha -> Date,
        valor -> BigInt,
        observacion -> Text,
        actor_id -> Text,
        creado_en -> Timestamp,
    }
}

diesel::table! {
    acuerdo_facturas (acuerdo_id, factura_id) {
        acuerdo_id -> Text,
        factura_id -> Text,
        prestador_id -> Text,
    }
}

diesel::table! {
    cuotas (id) {
        id -> Text,
        prestador_id -> Text,
        acuerdo_id -> Text,
        numero -> Integer,
        fecha_vencimiento -> Date,
        valor -> BigInt,
    }
}

diesel::table! {
    estados_cuenta (id) {
        id -> Text,
        prestador_id -> Text,
        pagador_id -> Text,
        corte -> Date,
        archivo -> Text,
        hash -> Text,
        actor_id -> Text,
        creado_en -> Timestamp,
    }
}

diesel::table! {
    estado_cuenta_filas (id) {
        id -> Text,
        prestador_id -> Text,
        estado_cuenta_id -> Text,
        fila -> Integer,
        numero_factura -> Text,
        valor_factura -> Nullable<BigInt>,
        valor_glosado -> Nullable<BigInt>,
        valor_pagado -> Nullable<BigInt>,
        saldo -> BigInt,
    }
}

diesel::joinable!(usuarios -> prestadores (prestador_id));
diesel::joinable!(contratos -> pagadores (pagador_id));
diesel::joinable!(facturas -> pagadores (pagador_id));
diesel::joinable!(factura_items -> facturas (factura_id));
diesel::joinable!(eventos -> facturas (factura_id));
diesel::joinable!(radicaciones -> facturas (factura_id));
diesel::joinable!(devoluciones -> facturas (factura_id));
diesel::joinable!(glosas -> facturas (factura_id));
diesel::joinable!(aplicaciones -> facturas (factura_id));
diesel::joinable!(aplicaciones -> pagos (pago_id));
diesel::table! {
    servidores (id) {
        id -> Text,
        iniciado_en -> Timestamp,
        latido -> Timestamp,
    }
}

diesel::table! {
    correcciones (id) {
        id -> Text,
        prestador_id -> Text,
        accion -> Text,
        entidad -> Text,
        entidad_id -> Text,
        factura_id -> Nullable<Text>,
        motivo -> Text,
        antes -> Text,
        despues -> Nullable<Text>,
        actor_id -> Text,
        fecha -> Date,
        registrado_en -> Timestamp,
    }
}

diesel::joinable!(notas -> facturas (factura_id));
diesel::joinable!(movimientos -> facturas (factura_id));
diesel::joinable!(pagos -> pagadores (pagador_id));
diesel::joinable!(cobro_pagadores -> pagadores (pagador_id));
diesel::joinable!(gestiones -> pagadores (pagador_id));
diesel::joinable!(acuerdos_pago -> pagadores (pagador_id));
diesel::joinable!(sesiones -> usuarios (usuario_id));
diesel::joinable!(acuerdo_facturas -> acuerdos_pago (acuerdo_id));
diesel::joinable!(acuerdo_facturas -> facturas (factura_id));
diesel::joinable!(gestion_facturas -> gestiones (gestion_id));
diesel::joinable!(cuotas -> acuerdos_pago (acuerdo_id));
diesel::joinable!(estado_cuenta_filas -> estados_cuenta (estado_cuenta_id));

diesel::table! {
    anuncios_pago (id) {
        id -> Text,
        prestador_id -> Text,
        pagador_id -> Text,
        usuario_id -> Text,
        fecha -> Date,
        valor -> BigInt,
        referencia -> Text,
        medio -> Text,
        detalle -> Text,
        estado -> Text,
        pago_id -> Nullable<Text>,
        motivo -> Text,
        decidido_por -> Nullable<Text>,
        decidido_en -> Nullable<Timestamp>,
        creado_en -> Timestamp,
    }
}

diesel::table! {
    actas (id) {
        id -> Text,
        prestador_id -> Text,
        pagador_id -> Text,
        numero -> Text,
        fecha -> Date,
        corte -> Date,
        estado_cuenta_id -> Nullable<Text>,
        lugar -> Text,
        participantes -> Text,
        observaciones -> Text,
        acuerdo_id -> Nullable<Text>,
        actor_id -> Text,
        creado_en -> Timestamp,
    }
}

diesel::table! {
    acta_facturas (id) {
        id -> Text,
        prestador_id -> Text,
        acta_id -> Text,
        factura_id -> Text,
        resultado -> Text,
        valor -> BigInt,
        fecha_compromiso -> Nullable<Date>,
        saldo_prestador -> BigInt,
        saldo_pagador -> Nullable<BigInt>,
        nota -> Text,
    }
}

diesel::table! {
    compromisos (id) {
        id -> Text,
        prestador_id -> Text,
        acta_id -> Text,
        pagador_id -> Text,
        factura_id -> Nullable<Text>,
        responsable -> Text,
        descripcion -> Text,
        vence -> Date,
        cumplido_en -> Nullable<Date>,
        cumplido_por -> Nullable<Text>,
    }
}

diesel::joinable!(acta_facturas -> actas (acta_id));
diesel::joinable!(acta_facturas -> facturas (factura_id));
diesel::joinable!(compromisos -> actas (acta_id));
diesel::joinable!(actas -> pagadores (pagador_id));

diesel::table! {
    archivos (prestador_id, hash) {
        prestador_id -> Text,
        hash -> Text,
        tamano -> BigInt,
        contenido -> Binary,
        creado_en -> Timestamp,
    }
}

diesel::table! {
    soportes (id) {
        id -> Text,
        prestador_id -> Text,
        objeto -> Text,
        objeto_id -> Text,
        factura_id -> Nullable<Text>,
        tipo -> Text,
        documento_usuario -> Text,
        nombre -> Text,
        media_type -> Text,
        hash -> Text,
        tamano -> BigInt,
        actor_id -> Text,
        creado_en -> Timestamp,
        retirado_por -> Nullable<Text>,
        retirado_en -> Nullable<Timestamp>,
        motivo_retiro -> Text,
    }
}

diesel::table! {
    paquetes_radicacion (id) {
        id -> Text,
        prestador_id -> Text,
        pagador_id -> Text,
        nombre -> Text,
        hash -> Text,
        tamano -> BigInt,
        manifiesto -> Text,
        faltantes -> Text,
        motivo_excepcion -> Text,
        estado -> Text,
        numero_radicado -> Nullable<Text>,
        acuse_en -> Nullable<Timestamp>,
        acuse_referencia -> Text,
        actor_id -> Text,
        creado_en -> Timestamp,
        radicado_por -> Nullable<Text>,
        radicado_en -> Nullable<Timestamp>,
    }
}

diesel::table! {
    paquete_facturas (paquete_id, factura_id) {
        paquete_id -> Text,
        factura_id -> Text,
        prestador_id -> Text,
    }
}

diesel::table! {
    cuentas_bancarias (id) {
        id -> Text,
        prestador_id -> Text,
        banco -> Text,
        numero -> Text,
        nombre -> Text,
        creado_en -> Timestamp,
    }
}

diesel::table! {
    extractos (id) {
        id -> Text,
        prestador_id -> Text,
        cuenta_id -> Text,
        archivo -> Text,
        hash -> Text,
        formato -> Text,
        desde -> Nullable<Date>,
        hasta -> Nullable<Date>,
        creditos -> Integer,
        nuevos -> Integer,
        debitos -> Integer,
        actor_id -> Text,
        creado_en -> Timestamp,
    }
}

diesel::table! {
    movimientos_bancarios (id) {
        id -> Text,
        prestador_id -> Text,
        cuenta_id -> Text,
        extracto_id -> Text,
        huella -> Text,
        fecha -> Date,
        fecha_valor -> Nullable<Date>,
        valor -> BigInt,
        referencia -> Text,
        descripcion -> Text,
        nit_tercero -> Text,
        nombre_tercero -> Text,
        estado -> Text,
        regla -> Text,
        explicacion -> Text,
        automatico -> Bool,
        pagador_id -> Nullable<Text>,
        pago_id -> Nullable<Text>,
        anuncio_id -> Nullable<Text>,
        candidatos -> Text,
        motivo -> Text,
        decidido_por -> Nullable<Text>,
        decidido_en -> Nullable<Timestamp>,
        creado_en -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    sesiones,
    importacion_subidas,
    prestadores,
    usuarios,
    pagadores,
    contratos,
    facturas,
    factura_items,
    eventos,
    radicaciones,
    devoluciones,
    glosas,
    pagos,
    aplicaciones,
    notas,
    movimientos,
    importaciones,
    archivos_importados,
    rips,
    cobro_pagadores,
    etapas,
    gestiones,
    gestion_facturas,
    acuerdos_pago,
    acuerdo_facturas,
    cuotas,
    estados_cuenta,
    estado_cuenta_filas,
    correcciones,
    servidores,
    anuncios_pago,
    actas,
    acta_facturas,
    compromisos,
    archivos,
    soportes,
    paquetes_radicacion,
    paquete_facturas,
    cuentas_bancarias,
    extractos,
    movimientos_bancarios,
);
