import MisqKit
