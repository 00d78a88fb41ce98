DROP TABLE movimientos_bancarios;
DROP TABLE extractos;
DROP TABLE cuentas_bancarias;
