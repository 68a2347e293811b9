s = 'héllo wörld'
print(s.upper(), s.split('ö'), s.center(15), s.find('w'), s.rfind('l'), s.index('ö'), s.count('l'), s.partition('ö'), s.replace('l', 'L', 1))
print('aXbXc'.rsplit('X', 1), 'a\tb'.split(), ' x '.isspace(), 'ÉA'.isupper(), 'é'.isalpha())
print('%5s|' % 'é', '{:>4}|'.format('é'), 'é'.center(3) + '|', 'abc'.startswith('b', 1), 'abc'.endswith('b', 0, 2))
