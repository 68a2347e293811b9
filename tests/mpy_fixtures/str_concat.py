a = 'abc' 'def'
b = b'x' b'y'
c = ('multi'
     'line')
