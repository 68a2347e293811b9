x = B'a'
