a = 3j
b = 1.5J
c = 1 + 2j
