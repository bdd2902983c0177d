<?xml version="1.0" encoding="UTF-8"?>
<!--
  View "admin_refs_list": one reference list for administrators. A table of its values
  in the order forms offer them, each row with its own small forms (rename, move up,
  move down, deactivate or reactivate: one POST each, no script needed), and a form to
  add a value.

  Reads page/refs (@list: name in URLs and catalogue keys refs.list.<list>, refs.field.<list>;
  @extra: none | flag | team, the list's extra column, posted as @field; @insee = 1 when
  the code is a commune's INSEE code), its values
    refs/value (@code @label @position @active @extra @extra-label @uses @first @last),
  the active teams for the agents' list (refs/teams/value), a refused form
    page/form (@for: "ajout" or the code of a row; @code @label @extra as typed;
               errors/error @field @key),
  and page/done (@action @code) after a change, for the confirmation.

  Field ids: "ajout-<field>" in the add form, "v-<code>-<field>" in a row, "v-<code>"
  the row itself (the page comes back there after a move).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:variable name="refs" select="/page/refs"/>
  <xsl:variable name="list" select="string($refs/@list)"/>
  <xsl:variable name="action-url" select="concat($base, '/admin/referentiels/', $list)"/>
  <xsl:variable name="refused" select="/page/form[errors/error]"/>

  <xsl:template match="page" mode="title">
    <xsl:if test="$refused">
      <xsl:call-template name="label-colon">
        <xsl:with-param name="key" select="'title.error'"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:call-template name="msg">
      <xsl:with-param name="key" select="concat('refs.list.', $list)"/>
    </xsl:call-template>
    <xsl:text> — </xsl:text>
    <xsl:call-template name="msg">
      <xsl:with-param name="key" select="'refs.title'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <p class="back-link">
      <a href="{$base}/admin/referentiels">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'refs.back'"/>
        </xsl:call-template>
      </a>
    </p>
    <h1>
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="concat('refs.list.', $list)"/>
      </xsl:call-template>
    </h1>
    <xsl:apply-templates select="$refused" mode="summary"/>
    <xsl:apply-templates select="done"/>
    <p class="prose">
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="'refs.list.intro'"/>
      </xsl:call-template>
    </p>
    <xsl:call-template name="values-table"/>
    <xsl:call-template name="add-form"/>
  </xsl:template>

  <!-- ============================================================ messages -->

  <!-- Id of a field: in the add form, or in the row of a code. -->
  <xsl:template name="field-id">
    <xsl:param name="form"/>
    <xsl:param name="field"/>
    <xsl:choose>
      <xsl:when test="$form = 'ajout'"><xsl:value-of select="concat('ajout-', $field)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat('v-', $form, '-', $field)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="form" mode="summary">
    <div class="error-summary" role="alert" aria-labelledby="erreurs-titre">
      <h2 id="erreurs-titre">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'refs.errors.title'"/>
        </xsl:call-template>
      </h2>
      <ul>
        <xsl:for-each select="errors/error">
          <li>
            <a>
              <xsl:attribute name="href">
                <xsl:text>#</xsl:text>
                <xsl:call-template name="field-id">
                  <xsl:with-param name="form" select="../../@for"/>
                  <xsl:with-param name="field" select="@field"/>
                </xsl:call-template>
              </xsl:attribute>
              <xsl:call-template name="msg">
                <xsl:with-param name="key" select="@key"/>
              </xsl:call-template>
            </a>
          </li>
        </xsl:for-each>
      </ul>
    </div>
  </xsl:template>

  <!-- Confirmation of the change just made, naming the value. -->
  <xsl:template match="done">
    <xsl:variable name="value" select="$refs/value[@code = current()/@code]"/>
    <div class="notice notice-success" role="status">
      <p>
        <strong class="notice-kind">
          <xsl:call-template name="label-colon">
            <xsl:with-param name="key" select="'notice.success'"/>
          </xsl:call-template>
        </strong>
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'refs.ok.value'"/>
        </xsl:call-template>
        <xsl:text> </xsl:text>
        <xsl:if test="$value">
          <xsl:text>«&#160;</xsl:text>
          <xsl:value-of select="$value/@label"/>
          <xsl:text>&#160;» </xsl:text>
        </xsl:if>
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="concat('refs.ok.', @action)"/>
        </xsl:call-template>
        <xsl:text>.</xsl:text>
      </p>
    </div>
  </xsl:template>

  <!-- The message next to a field, and the attributes that tie the field to it.
       Call inside the field's container, before the control. -->
  <xsl:template name="field-error">
    <xsl:param name="form"/>
    <xsl:param name="field"/>
    <xsl:variable name="error" select="$refused[@for = $form]/errors/error[@field = $field][1]"/>
    <xsl:if test="$error">
      <span class="field-error">
        <xsl:attribute name="id">
          <xsl:call-template name="field-id">
            <xsl:with-param name="form" select="$form"/>
            <xsl:with-param name="field" select="concat($field, '-erreur')"/>
          </xsl:call-template>
        </xsl:attribute>
        <span class="visually-hidden">
          <xsl:call-template name="label-colon">
            <xsl:with-param name="key" select="'notice.error'"/>
          </xsl:call-template>
        </span>
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="$error/@key"/>
        </xsl:call-template>
      </span>
    </xsl:if>
  </xsl:template>

  <!-- id, aria-invalid and aria-describedby (the hint, then the error) of a control. -->
  <xsl:template name="control-attributes">
    <xsl:param name="form"/>
    <xsl:param name="field"/>
    <xsl:param name="hint" select="false()"/>
    <xsl:variable name="id">
      <xsl:call-template name="field-id">
        <xsl:with-param name="form" select="$form"/>
        <xsl:with-param name="field" select="$field"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="invalid" select="boolean($refused[@for = $form]/errors/error[@field = $field])"/>
    <xsl:attribute name="id"><xsl:value-of select="$id"/></xsl:attribute>
    <xsl:attribute name="name"><xsl:value-of select="$field"/></xsl:attribute>
    <xsl:if test="$invalid">
      <xsl:attribute name="aria-invalid">true</xsl:attribute>
    </xsl:if>
    <xsl:if test="$invalid or $hint">
      <xsl:attribute name="aria-describedby">
        <xsl:if test="$hint"><xsl:value-of select="concat($id, '-aide')"/></xsl:if>
        <xsl:if test="$hint and $invalid"><xsl:text> </xsl:text></xsl:if>
        <xsl:if test="$invalid"><xsl:value-of select="concat($id, '-erreur')"/></xsl:if>
      </xsl:attribute>
    </xsl:if>
    <!-- the first refused field takes the focus: the page opens where to correct -->
    <xsl:if test="$refused[@for = $form]/errors/error[1][@field = $field]">
      <xsl:attribute name="autofocus">autofocus</xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ the table -->

  <xsl:template name="values-table">
    <div class="table-wrap">
      <table class="data refs-values">
        <caption>
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'refs.values.caption'"/>
          </xsl:call-template>
        </caption>
        <thead>
          <tr>
            <xsl:call-template name="column"><xsl:with-param name="key" select="'position'"/><xsl:with-param name="class" select="'num'"/></xsl:call-template>
            <xsl:call-template name="column"><xsl:with-param name="key" select="'code'"/></xsl:call-template>
            <xsl:call-template name="column"><xsl:with-param name="key" select="'label'"/></xsl:call-template>
            <xsl:call-template name="column"><xsl:with-param name="key" select="'state'"/></xsl:call-template>
            <xsl:call-template name="column"><xsl:with-param name="key" select="'uses'"/><xsl:with-param name="class" select="'num'"/></xsl:call-template>
            <xsl:call-template name="column"><xsl:with-param name="key" select="'actions'"/></xsl:call-template>
          </tr>
        </thead>
        <tbody>
          <xsl:apply-templates select="$refs/value"/>
        </tbody>
      </table>
    </div>
  </xsl:template>

  <xsl:template name="column">
    <xsl:param name="key"/>
    <xsl:param name="class" select="''"/>
    <th scope="col">
      <xsl:if test="$class != ''">
        <xsl:attribute name="class"><xsl:value-of select="$class"/></xsl:attribute>
      </xsl:if>
      <xsl:call-template name="msg">
        <xsl:with-param name="key" select="concat('refs.col.', $key)"/>
      </xsl:call-template>
    </th>
  </xsl:template>

  <xsl:template match="value">
    <tr id="v-{@code}">
      <xsl:if test="@active = '0'">
        <xsl:attribute name="class">inactive</xsl:attribute>
      </xsl:if>
      <td class="num fit"><xsl:value-of select="@position"/></td>
      <th scope="row" class="fit"><code><xsl:value-of select="@code"/></code></th>
      <td><xsl:call-template name="rename-form"/></td>
      <td class="fit">
        <span class="state state-{@active}">
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="concat('refs.state.', @active)"/>
          </xsl:call-template>
        </span>
      </td>
      <td class="num fit"><xsl:value-of select="@uses"/></td>
      <td class="fit">
        <div class="row-actions">
          <xsl:choose>
            <xsl:when test="@first"><span class="slot"/></xsl:when>
            <xsl:otherwise>
              <xsl:call-template name="row-action">
                <xsl:with-param name="action" select="'monter'"/>
              </xsl:call-template>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:choose>
            <xsl:when test="@last"><span class="slot"/></xsl:when>
            <xsl:otherwise>
              <xsl:call-template name="row-action">
                <xsl:with-param name="action" select="'descendre'"/>
              </xsl:call-template>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:call-template name="row-action">
            <xsl:with-param name="action">
              <xsl:choose>
                <xsl:when test="@active = '1'">desactiver</xsl:when>
                <xsl:otherwise>reactiver</xsl:otherwise>
              </xsl:choose>
            </xsl:with-param>
          </xsl:call-template>
        </div>
      </td>
    </tr>
  </xsl:template>

  <!-- Opening of a row's form posting one action; the caller adds the rest. -->
  <xsl:template name="row-form-start">
    <xsl:param name="action"/>
    <xsl:call-template name="csrf-field"/>
    <input type="hidden" name="action" value="{$action}"/>
  </xsl:template>

  <!-- "« Odeurs »" for screen readers, after a button's visible verb. -->
  <xsl:template name="whose">
    <span class="visually-hidden">
      <xsl:value-of select="concat(' «&#160;', @label, '&#160;»')"/>
    </span>
  </xsl:template>

  <xsl:template name="row-action">
    <xsl:param name="action"/>
    <form method="post" action="{$action-url}/{@code}">
      <xsl:call-template name="row-form-start">
        <xsl:with-param name="action" select="$action"/>
      </xsl:call-template>
      <button type="submit" class="button button-secondary button-small">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="concat('refs.do.', $action)"/>
        </xsl:call-template>
        <xsl:call-template name="whose"/>
      </button>
    </form>
  </xsl:template>

  <!-- The label, editable in place, and the list's extra column. -->
  <xsl:template name="rename-form">
    <xsl:variable name="form" select="string(@code)"/>
    <xsl:variable name="typed" select="$refused[@for = $form]"/>
    <xsl:variable name="invalid" select="boolean($typed/errors/error[@field = 'libelle'])"/>
    <form class="inline-form" method="post" action="{$action-url}/{@code}">
      <xsl:call-template name="row-form-start">
        <xsl:with-param name="action" select="'renommer'"/>
      </xsl:call-template>
      <div>
        <xsl:attribute name="class">
          <xsl:text>inline-field</xsl:text>
          <xsl:if test="$invalid"> field-invalid</xsl:if>
        </xsl:attribute>
        <label class="visually-hidden" for="v-{@code}-libelle">
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'refs.field.label'"/>
          </xsl:call-template>
          <xsl:value-of select="concat(' (', @code, ')')"/>
        </label>
        <xsl:call-template name="field-error">
          <xsl:with-param name="form" select="$form"/>
          <xsl:with-param name="field" select="'libelle'"/>
        </xsl:call-template>
        <input type="text">
          <xsl:call-template name="control-attributes">
            <xsl:with-param name="form" select="$form"/>
            <xsl:with-param name="field" select="'libelle'"/>
          </xsl:call-template>
          <xsl:attribute name="value">
            <xsl:choose>
              <xsl:when test="$typed"><xsl:value-of select="$typed/@label"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="@label"/></xsl:otherwise>
            </xsl:choose>
          </xsl:attribute>
        </input>
      </div>
      <!-- the extra control and the button wrap together, after the label -->
      <div class="inline-tail">
        <xsl:call-template name="extra-control">
          <xsl:with-param name="form" select="$form"/>
          <xsl:with-param name="value">
            <xsl:choose>
              <xsl:when test="$typed"><xsl:value-of select="$typed/@extra"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="@extra"/></xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
          <xsl:with-param name="current" select="."/>
        </xsl:call-template>
        <button type="submit" class="button button-secondary button-small">
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'refs.do.renommer'"/>
          </xsl:call-template>
          <xsl:call-template name="whose"/>
        </button>
      </div>
    </form>
  </xsl:template>

  <!-- ============================================================ extra column -->

  <!-- The list's extra column as a control: a checkbox (flag) or the team (agents).
       $current is the row's value (absent in the add form). -->
  <xsl:template name="extra-control">
    <xsl:param name="form"/>
    <xsl:param name="value"/>
    <xsl:param name="current" select="/.."/>
    <xsl:variable name="field" select="string($refs/@field)"/>
    <xsl:variable name="row-suffix">
      <xsl:if test="$current">
        <span class="visually-hidden"><xsl:value-of select="concat(' (', $current/@code, ')')"/></span>
      </xsl:if>
    </xsl:variable>
    <xsl:variable name="id">
      <xsl:call-template name="field-id">
        <xsl:with-param name="form" select="$form"/>
        <xsl:with-param name="field" select="$field"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$refs/@extra = 'flag'">
        <div class="choice">
          <input type="checkbox" id="{$id}" name="{$field}" value="1">
            <xsl:if test="$value = 'true'">
              <xsl:attribute name="checked">checked</xsl:attribute>
            </xsl:if>
          </input>
          <label for="{$id}">
            <xsl:call-template name="msg">
              <xsl:with-param name="key">
                <xsl:choose>
                  <xsl:when test="$current"><xsl:value-of select="concat('refs.field.', $list, '.short')"/></xsl:when>
                  <xsl:otherwise><xsl:value-of select="concat('refs.field.', $list)"/></xsl:otherwise>
                </xsl:choose>
              </xsl:with-param>
            </xsl:call-template>
            <xsl:copy-of select="$row-suffix"/>
          </label>
        </div>
      </xsl:when>
      <xsl:when test="$refs/@extra = 'team'">
        <xsl:variable name="invalid" select="boolean($refused[@for = $form]/errors/error[@field = $field])"/>
        <div>
          <xsl:attribute name="class">
            <xsl:choose>
              <xsl:when test="$current">inline-extra</xsl:when>
              <xsl:otherwise>field</xsl:otherwise>
            </xsl:choose>
            <xsl:if test="$invalid"> field-invalid</xsl:if>
          </xsl:attribute>
          <label for="{$id}">
            <xsl:if test="$current">
              <xsl:attribute name="class">visually-hidden</xsl:attribute>
            </xsl:if>
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="concat('refs.field.', $list)"/>
            </xsl:call-template>
            <xsl:copy-of select="$row-suffix"/>
          </label>
          <xsl:call-template name="field-error">
            <xsl:with-param name="form" select="$form"/>
            <xsl:with-param name="field" select="$field"/>
          </xsl:call-template>
          <select>
            <xsl:call-template name="control-attributes">
              <xsl:with-param name="form" select="$form"/>
              <xsl:with-param name="field" select="$field"/>
            </xsl:call-template>
            <option value="">
              <xsl:call-template name="msg">
                <xsl:with-param name="key" select="'refs.team.none'"/>
              </xsl:call-template>
            </option>
            <xsl:for-each select="$refs/teams/value">
              <option value="{@code}">
                <xsl:if test="@code = $value">
                  <xsl:attribute name="selected">selected</xsl:attribute>
                </xsl:if>
                <xsl:value-of select="@label"/>
              </option>
            </xsl:for-each>
            <!-- a deactivated team stays selectable for the agents who have it -->
            <xsl:if test="$current/@extra and not($refs/teams/value[@code = $current/@extra])">
              <option value="{$current/@extra}">
                <xsl:if test="$current/@extra = $value">
                  <xsl:attribute name="selected">selected</xsl:attribute>
                </xsl:if>
                <xsl:value-of select="$current/@extra-label"/>
                <xsl:text> (</xsl:text>
                <xsl:call-template name="msg">
                  <xsl:with-param name="key" select="'refs.state.0'"/>
                </xsl:call-template>
                <xsl:text>)</xsl:text>
              </option>
            </xsl:if>
          </select>
        </div>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================ add form -->

  <xsl:template name="add-form">
    <xsl:variable name="typed" select="$refused[@for = 'ajout']"/>
    <section class="refs-add" aria-labelledby="ajout-titre">
      <h2 id="ajout-titre">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'refs.add.title'"/>
        </xsl:call-template>
      </h2>
      <form class="form" method="post" action="{$action-url}">
        <xsl:call-template name="csrf-field"/>
        <xsl:call-template name="text-field">
          <xsl:with-param name="field" select="'libelle'"/>
          <xsl:with-param name="label" select="'refs.field.label'"/>
          <xsl:with-param name="hint" select="'refs.field.label.hint'"/>
          <xsl:with-param name="value" select="$typed/@label"/>
        </xsl:call-template>
        <xsl:call-template name="text-field">
          <xsl:with-param name="field" select="'code'"/>
          <xsl:with-param name="label">
            <xsl:choose>
              <xsl:when test="$refs/@insee = '1'">refs.field.insee</xsl:when>
              <xsl:otherwise>refs.field.code</xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
          <xsl:with-param name="hint">
            <xsl:choose>
              <xsl:when test="$refs/@insee = '1'">refs.field.insee.hint</xsl:when>
              <xsl:when test="$list = 'agents'">refs.field.code.hint.agents</xsl:when>
              <xsl:otherwise>refs.field.code.hint</xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
          <xsl:with-param name="value" select="$typed/@code"/>
          <xsl:with-param name="class" select="'input-code'"/>
        </xsl:call-template>
        <xsl:call-template name="extra-control">
          <xsl:with-param name="form" select="'ajout'"/>
          <xsl:with-param name="value" select="$typed/@extra"/>
        </xsl:call-template>
        <div class="form-actions">
          <button type="submit" class="button">
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'refs.add.submit'"/>
            </xsl:call-template>
          </button>
        </div>
      </form>
    </section>
  </xsl:template>

  <xsl:template name="text-field">
    <xsl:param name="field"/>
    <xsl:param name="label"/>
    <xsl:param name="hint"/>
    <xsl:param name="value"/>
    <xsl:param name="class" select="''"/>
    <xsl:variable name="invalid" select="boolean($refused[@for = 'ajout']/errors/error[@field = $field])"/>
    <div>
      <xsl:attribute name="class">
        <xsl:text>field</xsl:text>
        <xsl:if test="$invalid"> field-invalid</xsl:if>
      </xsl:attribute>
      <label for="ajout-{$field}">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="$label"/>
        </xsl:call-template>
      </label>
      <span class="hint" id="ajout-{$field}-aide">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="$hint"/>
        </xsl:call-template>
      </span>
      <xsl:call-template name="field-error">
        <xsl:with-param name="form" select="'ajout'"/>
        <xsl:with-param name="field" select="$field"/>
      </xsl:call-template>
      <input type="text" value="{$value}" autocomplete="off">
        <xsl:call-template name="control-attributes">
          <xsl:with-param name="form" select="'ajout'"/>
          <xsl:with-param name="field" select="$field"/>
          <xsl:with-param name="hint" select="true()"/>
        </xsl:call-template>
        <xsl:if test="$class != ''">
          <xsl:attribute name="class"><xsl:value-of select="$class"/></xsl:attribute>
          <xsl:attribute name="spellcheck">false</xsl:attribute>
        </xsl:if>
      </input>
    </div>
  </xsl:template>

</xsl:stylesheet>
