s = 'Hello, World'
print(s.center(20), 'ab'.center(1))
print(s.count('l'), s.count('l', 4), s.count('l', 0, 4), ''.count(''), 'aaa'.count('a', -2))
print(s.endswith('ld'), s.endswith(('x', 'rld')), s.endswith('Hello', 0, 5), s.startswith(('a', 'H')), s.startswith('World', 7))
print(s.find('o'), s.find('o', 5), s.find('o', 5, 8), s.find('zz'), s.rfind('o'), s.rfind('o', 0, 5), s.rfind('q'))
print(s.index('W'), s.rindex('l'))
try:
    s.index('Q')
except ValueError as e:
    print('ValueError', e)
try:
    s.rindex('Q')
except ValueError as e:
    print('ValueError', e)
print('abc'.isalpha(), 'ab1'.isalpha(), '123'.isdigit(), ''.isdigit(), 'abc'.islower(), 'aBc'.islower(), 'ABC'.isupper(), 'A1'.isupper(), '1'.isupper())
print(' \t\n'.isspace(), ''.isspace(), ' a'.isspace())
print('-'.join(['a', 'b', 'c']), ''.join([]), ','.join('xyz'), ', '.join(str(i) for i in range(3)))
print('  x  '.lstrip() + '|', '  x  '.rstrip() + '|', 'xxhixx'.strip('x'), 'abcba'.lstrip('ab'), 'abcba'.rstrip('ab'))
print('a=b=c'.partition('='), 'abc'.partition('='), 'a=b=c'.rpartition('='), 'abc'.rpartition('='))
print('aaa'.replace('a', 'b', 2), 'abc'.replace('', '-'), 'hello'.replace('l', 'L'))
print('a b  c'.split(), 'a,b,,c'.split(','), 'a b c d'.split(None, 2), 'a,b,c'.split(',', 1), '  '.split(), ''.split(','))
print('a b  c'.rsplit(), 'a,b,,c'.rsplit(','), 'a,b,c'.rsplit(',', 1))
print('a\nb\r\nc\rd'.splitlines(), 'a\nb\n'.splitlines(), 'a\nb\n'.splitlines(True), ''.splitlines())
print('MiXeD'.lower(), 'MiXeD'.upper())
print('abc'.encode(), 'é'.encode())
print(s[-3:], s[:100], s[100:], s[-100:2])
print('ab' * 3, 3 * 'ab', 'ab' * 0, 'ab' * -1)
print('a' < 'b', 'abc' < 'abd', 'ab' < 'abc', 'b' > 'abc', 'a' <= 'a', 'z' >= 'a', 'a' == 'a', 'a' != 'b')
print('ell' in s, 'xyz' in s, '' in s)
for c in 'hé!':
    print(c, end=' ')
print()
print(len('héllo'), 'héllo'[1], 'héllo'.find('l'), 'héllo'[1:3])
try:
    s[::2]
except NotImplementedError as e:
    print('NotImplementedError', e)
try:
    'abc'[5]
except IndexError as e:
    print('IndexError', e)
try:
    'abc' + 1
except TypeError as e:
    print('TypeError', e)
try:
    'a'.join([1])
except TypeError as e:
    print('TypeError', e)
try:
    'a'.split('')
except ValueError as e:
    print('ValueError', e)
try:
    'abc'[0] = 'x'
except TypeError as e:
    print('TypeError', e)
try:
    'abc'.startswith(1)
except TypeError as e:
    print('TypeError', e)
print(str(123), str(), str(b'abc', 'utf-8'), str([1, 'a']), repr('a\'b'), repr("a\"b'"))
print('x'.center(4, 'ab') if False else 'skip')
