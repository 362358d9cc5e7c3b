-- Catalog name keys follow the program's one text fold, which now folds ñ like other accents
-- ("Compañía" and "Compania" are the same name). Keys are already lower case. A key that would
-- collide with an existing one (two departments differing only by ñ/n) is left as it was.
UPDATE OR IGNORE departments SET name_key = replace(name_key, 'ñ', 'n') WHERE name_key LIKE '%ñ%';
UPDATE OR IGNORE programs SET name_key = replace(name_key, 'ñ', 'n') WHERE name_key LIKE '%ñ%';
