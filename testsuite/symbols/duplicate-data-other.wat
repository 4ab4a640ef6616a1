(module
  (data $table_data "b"))
