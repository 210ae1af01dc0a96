package graph

// LevelByLevel makes the handlers answer every selection level by level,
// as when it cannot be compiled, until the returned func is called.
func LevelByLevel() (restore func()) {
	compiling = false
	return func() { compiling = true }
}
