ALTER TABLE importaciones DROP COLUMN servidor_id;
DROP TABLE servidores;
