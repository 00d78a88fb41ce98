DROP TABLE sesiones;
