DROP INDEX facturas_cufe;
DROP TABLE rips;
DROP TABLE archivos_importados;
DROP TABLE importaciones;
