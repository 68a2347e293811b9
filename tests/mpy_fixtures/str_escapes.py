a = 'tab\tnl\nq\'bs\\'
b = '\x41\101\u00e9'
c = '\0'
