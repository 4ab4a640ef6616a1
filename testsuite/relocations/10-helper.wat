(module
  (tag $shared_tag (param i32))
  (func $throw_it (param i32)
    local.get 0
    throw $shared_tag))
