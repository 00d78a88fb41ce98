DROP TABLE importacion_subidas;
