import imppkg.circ_b
A = 1
